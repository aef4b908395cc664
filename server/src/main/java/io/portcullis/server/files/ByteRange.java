package io.portcullis.server.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One satisfiable byte range of a representation, inclusive at both ends as in {@code Content-Range}; and the parser of
 * the {@code Range} request header (RFC 9110 section 14.2).
 *
 * @param first offset of the first byte
 * @param last  offset of the last byte, {@code >= first}
 */
public record ByteRange(long first, long last) {

    /**
     * Beyond this many range specs the header is ignored (a full 200 is always a correct answer). Bounds the work a
     * single header can cause, like nginx's {@code max_ranges}.
     */
    static final int MAX_SPECS = 64;

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("range: " + first + "-" + last + " (expected: 0 <= first <= last)");
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value, e.g. {@code bytes 0-99/1000}. */
    public String contentRange(long size) {
        return "bytes " + first + '-' + last + '/' + size;
    }

    /** What a {@code Range} header asks of a representation of a given size. */
    public enum Outcome {
        /** No header, another unit, or a syntax error: RFC 9110 lets the server ignore it and send 200. */
        IGNORE,
        /** Well-formed, but no range overlaps the representation: 416. */
        UNSATISFIABLE,
        /** At least one range overlaps: {@link Parsed#ranges()} holds them, merged and sorted. */
        SATISFIABLE
    }

    /** @param ranges sorted, non-overlapping, non-adjacent; empty unless {@link Outcome#SATISFIABLE} */
    public record Parsed(Outcome outcome, List<ByteRange> ranges) {
        static final Parsed IGNORED = new Parsed(Outcome.IGNORE, List.of());
        static final Parsed UNSATISFIABLE = new Parsed(Outcome.UNSATISFIABLE, List.of());
    }

    /**
     * Parses {@code header} (may be {@code null}) against a representation of {@code size} bytes. Overlapping and
     * adjacent ranges are merged, so {@code bytes=0-99,100-199} becomes one range; clients (and download managers) do
     * send such lists, and one range lets the caller answer with a plain 206 instead of multipart.
     */
    public static Parsed parse(String header, long size) {
        if (header == null) {
            return Parsed.IGNORED;
        }
        String value = header.strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return Parsed.IGNORED;
        }
        List<ByteRange> ranges = new ArrayList<>();
        int specs = 0;
        for (String element : value.substring(6).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) {
                continue; // RFC 9110 list syntax allows empty elements
            }
            if (++specs > MAX_SPECS) {
                return Parsed.IGNORED;
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return Parsed.IGNORED;
            }
            String firstText = spec.substring(0, dash).strip();
            String lastText = spec.substring(dash + 1).strip();
            ByteRange range;
            if (firstText.isEmpty()) {
                // suffix-range "-n": the last n bytes
                long n = digits(lastText);
                if (n < 0) {
                    return Parsed.IGNORED;
                }
                range = n == 0 || size == 0 ? null : new ByteRange(Math.max(0, size - n), size - 1);
            } else {
                long first = digits(firstText);
                long last = lastText.isEmpty() ? Long.MAX_VALUE : digits(lastText);
                if (first < 0 || last < 0 || last < first) {
                    return Parsed.IGNORED; // "5-3" or garbage is invalid syntax, not unsatisfiable
                }
                range = first >= size ? null : new ByteRange(first, Math.min(last, size - 1));
            }
            if (range != null) {
                ranges.add(range);
            }
        }
        if (specs == 0) {
            return Parsed.IGNORED;
        }
        if (ranges.isEmpty()) {
            return Parsed.UNSATISFIABLE;
        }
        return new Parsed(Outcome.SATISFIABLE, merge(ranges));
    }

    private static List<ByteRange> merge(List<ByteRange> ranges) {
        ranges.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> merged = new ArrayList<>();
        ByteRange current = ranges.get(0);
        for (int i = 1; i < ranges.size(); i++) {
            ByteRange next = ranges.get(i);
            if (next.first <= current.last + 1) {
                current = new ByteRange(current.first, Math.max(current.last, next.last));
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return List.copyOf(merged);
    }

    /** A non-negative decimal, saturating at {@link Long#MAX_VALUE}; -1 if empty or not all ASCII digits. */
    private static long digits(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        return value;
    }
}
