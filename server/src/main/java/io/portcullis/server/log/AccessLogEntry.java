package io.portcullis.server.log;

import java.util.Map;

/**
 * One finished request, captured on the event loop and formatted on the log writer's thread.
 *
 * @param timeMillis   when the request started (epoch millis)
 * @param requestId    the request id
 * @param clientIp     the client's address
 * @param host         the request host
 * @param method       the method
 * @param uri          path and query as sent
 * @param status       response status (0 when the connection closed before a response)
 * @param bytes        response body bytes sent
 * @param durationMicros time from request head to last response byte
 * @param protocol     HTTP/1.1, HTTP/2.0 or HTTP/3.0
 * @param tlsVersion   TLS protocol, or null
 * @param tlsCipher    TLS cipher suite, or null
 * @param userAgent    User-Agent, or null
 * @param referer      Referer, or null
 * @param attributes   handler details such as the upstream, or empty
 */
public record AccessLogEntry(
        long timeMillis,
        String requestId,
        String clientIp,
        String host,
        String method,
        String uri,
        int status,
        long bytes,
        long durationMicros,
        String protocol,
        String tlsVersion,
        String tlsCipher,
        String userAgent,
        String referer,
        Map<String, String> attributes) {
}
