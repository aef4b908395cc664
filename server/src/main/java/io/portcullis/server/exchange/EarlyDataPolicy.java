package io.portcullis.server.exchange;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.portcullis.server.http.Request;

/**
 * RFC 8470 for requests that arrived in TLS early data (0-RTT, HTTP/3 only, with {@code quic.early_data: true}).
 * Early data can be recorded and replayed by an attacker, and nothing in TLS stops that, so only safe methods (GET,
 * HEAD, OPTIONS: no side effects by definition) are served from it. Anything else gets {@code 425 Too Early}, which a
 * client answers by sending the request again after the handshake. Requests that are served tell upstreams with
 * {@code Early-Data: 1}, so an application can refuse what it does not want replayed.
 */
public final class EarlyDataPolicy {
    public static final HttpResponseStatus TOO_EARLY = HttpResponseStatus.valueOf(425, "Too Early");
    public static final String HEADER = "early-data";

    private EarlyDataPolicy() {
    }

    /** Whether the request came in early data. */
    public static boolean inEarlyData(Request request) {
        return request.tls() != null && request.tls().earlyData();
    }

    /** Whether the request must be refused with 425: early data and not a safe method. */
    public static boolean tooEarly(Request request) {
        return inEarlyData(request) && !isSafe(request.method());
    }

    static boolean isSafe(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS);
    }
}
