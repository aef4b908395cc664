package io.portcullis.server.proxy;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Headers that describe one connection, not the message (RFC 9110 section 7.6.1), and so must not cross the proxy:
 * {@code Connection} and every header it names, plus the well-known hop-by-hop ones.
 */
final class HopByHopHeaders {
    private static final AsciiString[] ALWAYS = Stream.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
            "proxy-authorization", "proxy-authenticate", "http2-settings").map(AsciiString::cached)
            .toArray(AsciiString[]::new);
    private static final HttpHeadersFactory UNVALIDATED = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    private HopByHopHeaders() {
    }

    /** Whether this is a WebSocket opening handshake ({@code Upgrade: websocket} plus {@code Connection: upgrade}). */
    static boolean isWebSocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.UPGRADE, "websocket", true)
                && connectionTokens(headers).contains("upgrade");
    }

    /**
     * The request headers to send upstream. {@code TE: trailers} survives (the only TE value a proxy may pass on), and
     * for a WebSocket handshake {@code Upgrade: websocket} with {@code Connection: Upgrade}. {@code Expect} is dropped
     * because the exchange answers {@code 100-continue} itself; several {@code Cookie} fields (as HTTP/2 clients send
     * them) are joined into one, as RFC 9113 section 8.2.3 requires towards HTTP/1.1.
     */
    static HttpHeaders forRequest(HttpHeaders in, boolean webSocket) {
        HttpHeaders out = copyEndToEnd(in);
        out.remove(HttpHeaderNames.EXPECT);
        if (in.containsValue(HttpHeaderNames.TE, "trailers", true)) {
            out.set(HttpHeaderNames.TE, "trailers");
        }
        if (out.contains(HttpHeaderNames.COOKIE) && out.getAll(HttpHeaderNames.COOKIE).size() > 1) {
            String joined = String.join("; ", out.getAll(HttpHeaderNames.COOKIE));
            out.set(HttpHeaderNames.COOKIE, joined);
        }
        if (webSocket) {
            out.set(HttpHeaderNames.UPGRADE, "websocket");
            out.set(HttpHeaderNames.CONNECTION, "Upgrade");
        }
        return out;
    }

    /**
     * Strips the hop-by-hop fields from an upstream response's headers in place and returns them: the decoded head is
     * not used again, so the client's response reuses its headers instead of a copy (one header map and its entries
     * less per proxied response). The exchange adds its own framing.
     */
    static HttpHeaders stripForResponse(HttpHeaders in) {
        List<String> named = connectionTokens(in);
        for (AsciiString always : ALWAYS) {
            in.remove(always);
        }
        for (int i = 0; i < named.size(); i++) {
            in.remove(named.get(i));
        }
        return in;
    }

    /**
     * Every field but the hop-by-hop ones, names compared without case and without building lower-case copies. The
     * fields were validated when they were parsed, so the copy does not validate them again.
     */
    private static HttpHeaders copyEndToEnd(HttpHeaders in) {
        List<String> named = connectionTokens(in);
        HttpHeaders out = UNVALIDATED.newHeaders();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (!isHopByHop(e.getKey(), named)) {
                out.add(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static boolean isHopByHop(CharSequence name, List<String> named) {
        for (AsciiString always : ALWAYS) {
            if (always.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        for (int i = 0; i < named.size(); i++) {
            if (AsciiString.contentEqualsIgnoreCase(named.get(i), name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lower-case tokens of all {@code Connection} fields, e.g. {@code close, x-foo}, without duplicates. The common
     * single {@code keep-alive} or {@code close} names nothing beyond the always-removed fields (a field called
     * {@code close} is dropped with the others anyway), so it yields the empty list without parsing.
     */
    static List<String> connectionTokens(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return List.of();
        }
        if (values.size() == 1 && (AsciiString.contentEqualsIgnoreCase(values.get(0), HttpHeaderValues.KEEP_ALIVE)
                || AsciiString.contentEqualsIgnoreCase(values.get(0), HttpHeaderValues.CLOSE))) {
            return List.of();
        }
        List<String> tokens = new ArrayList<>(4);
        for (String value : values) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !tokens.contains(t)) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
