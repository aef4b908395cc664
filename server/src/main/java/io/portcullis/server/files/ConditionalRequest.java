package io.portcullis.server.files;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Evaluates the conditional request headers of a GET or HEAD against the selected representation, in the order
 * RFC 9110 section 13.2.2 prescribes: If-Match, else If-Unmodified-Since (412 if failing); then If-None-Match, else
 * If-Modified-Since (304 if the client's copy is current). {@code If-Range} is separate ({@link #ifRangeAllows}) because
 * it only decides whether a Range header applies.
 *
 * <p>Dates compare at whole seconds: HTTP-dates have no finer resolution, so a sub-second mtime would otherwise never
 * equal the Last-Modified we sent.
 */
public final class ConditionalRequest {

    public enum Outcome {
        /** Serve the representation (200, or 206 if a range applies). */
        PROCEED,
        /** 304: the client's cached copy is current. */
        NOT_MODIFIED,
        /** 412: an If-Match / If-Unmodified-Since precondition failed. */
        PRECONDITION_FAILED
    }

    private ConditionalRequest() {
    }

    /**
     * @param etag                 the representation's entity tag, quoted, e.g. {@code "5f1e-20"}
     * @param lastModifiedSeconds  the representation's mtime in epoch seconds
     * @param nowSeconds           the current time in epoch seconds (If-Modified-Since dates after it are invalid)
     */
    public static Outcome evaluate(HttpHeaders headers, String etag, long lastModifiedSeconds, long nowSeconds) {
        String ifMatch = joined(headers, HttpHeaderNames.IF_MATCH);
        if (ifMatch != null) {
            if (!matches(ifMatch, etag, false)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            long since = httpDateSeconds(headers.get(HttpHeaderNames.IF_UNMODIFIED_SINCE));
            if (since != Long.MIN_VALUE && lastModifiedSeconds > since) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        String ifNoneMatch = joined(headers, HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            // Only GET and HEAD reach this class, for which a match means 304 rather than 412.
            return matches(ifNoneMatch, etag, true) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        long since = httpDateSeconds(headers.get(HttpHeaderNames.IF_MODIFIED_SINCE));
        // A date in the future is invalid (RFC 9110 13.1.3) and must not pin a stale copy in the client's cache.
        if (since != Long.MIN_VALUE && since <= nowSeconds && lastModifiedSeconds <= since) {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a Range header applies given {@code If-Range} (may be {@code null}): yes if absent; if an entity tag, only on
     * a strong match; if a date, only if it equals Last-Modified exactly. Otherwise the client's partial copy is stale and
     * it gets the whole representation.
     */
    public static boolean ifRangeAllows(String ifRange, String etag, long lastModifiedSeconds) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return !value.startsWith("W/") && value.equals(etag) && !etag.startsWith("W/");
        }
        long date = httpDateSeconds(value);
        return date != Long.MIN_VALUE && date == lastModifiedSeconds;
    }

    /**
     * Whether the If-Match / If-None-Match list matches {@code etag}: {@code *} matches any existing representation;
     * weak comparison ignores {@code W/} on both sides, strong comparison requires both tags strong (RFC 9110 8.8.3.2).
     */
    static boolean matches(String list, String etag, boolean weakComparison) {
        if (list.strip().equals("*")) {
            return true;
        }
        boolean etagWeak = etag.startsWith("W/");
        String opaque = etagWeak ? etag.substring(2) : etag;
        for (String tag : parseTags(list)) {
            boolean weak = tag.startsWith("W/");
            if (!weakComparison && (weak || etagWeak)) {
                continue;
            }
            if ((weak ? tag.substring(2) : tag).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Splits an entity-tag list. Commas may appear inside the quotes of an entity tag, so this scans rather than splits.
     * Unquoted tokens (a common client mistake) are taken as if quoted.
     */
    static List<String> parseTags(String list) {
        List<String> tags = new ArrayList<>();
        int i = 0;
        int n = list.length();
        while (i < n) {
            char c = list.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            String prefix = "";
            if (list.startsWith("W/", i)) {
                prefix = "W/";
                i += 2;
            }
            if (i < n && list.charAt(i) == '"') {
                int close = list.indexOf('"', i + 1);
                if (close < 0) {
                    break; // unterminated: ignore the rest
                }
                tags.add(prefix + list.substring(i, close + 1));
                i = close + 1;
            } else {
                int comma = list.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                String token = list.substring(i, end).strip();
                if (!token.isEmpty()) {
                    tags.add(prefix + '"' + token + '"');
                }
                i = end;
            }
        }
        return tags;
    }

    /** Epoch seconds of an HTTP-date (all three RFC 9110 formats), or {@link Long#MIN_VALUE} if absent or invalid. */
    static long httpDateSeconds(String value) {
        if (value == null) {
            return Long.MIN_VALUE;
        }
        Date date = DateFormatter.parseHttpDate(value.strip());
        return date == null ? Long.MIN_VALUE : Math.floorDiv(date.getTime(), 1000L);
    }

    /** Several header lines of a list-valued field mean the same as one comma-joined line. */
    private static String joined(HttpHeaders headers, CharSequence name) {
        List<String> values = headers.getAll(name);
        return values.isEmpty() ? null : String.join(",", values);
    }
}
