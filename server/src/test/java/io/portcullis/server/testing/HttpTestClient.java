package io.portcullis.server.testing;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What the protocol matrix needs from a client, whatever protocol it speaks: one request with a chosen authority
 * (Host / :authority), headers and an optional body, and the complete response. {@link H3Client} speaks HTTP/3,
 * {@link TcpHttpClient} HTTP/1.1 or HTTP/2.
 */
public interface HttpTestClient extends AutoCloseable {
    /** A response: status, headers (lower-case names, last value wins), body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends one request to {@code authority} and waits for the complete response. */
    Response request(String method, String authority, String path, Map<String, String> headers, byte[] body)
            throws Exception;

    @Override
    void close();
}
