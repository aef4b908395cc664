package io.portcullis.server.http;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import java.util.Date;

/**
 * The {@code Date} response field (RFC 9110 section 6.6.1: an origin server with a clock must send it in 2xx, 3xx and
 * 4xx responses, and a proxy adds it when the upstream did not). The IMF-fixdate text changes once a second, so it is
 * formatted once a second and shared by every event loop.
 */
public final class HttpDate {
    private static volatile Stamp current = new Stamp(Long.MIN_VALUE, AsciiString.EMPTY_STRING);

    private record Stamp(long second, AsciiString text) {
    }

    private HttpDate() {
    }

    /** The current time as an IMF-fixdate, e.g. {@code Sat, 05 Dec 2026 01:22:43 GMT}. */
    public static AsciiString now() {
        return at(System.currentTimeMillis());
    }

    static AsciiString at(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Stamp s = current;
        if (s.second != second) {
            // racing loops may both format the same second: harmless, the texts are equal
            s = new Stamp(second, AsciiString.cached(DateFormatter.format(new Date(second * 1000L))));
            current = s;
        }
        return s.text;
    }
}
