package io.portcullis.server.it;

import static io.portcullis.server.testing.MetricsScrape.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.H3Client;
import io.portcullis.server.testing.MetricsScrape;
import io.portcullis.server.testing.PortcullisExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin endpoint's {@code GET /metrics}: request, TLS, connection and security-event meters, and the JVM's. */
class MetricsTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites:
              - hosts: [localhost]
                routes:
                  - path: /private/*
                    access: {deny: [127.0.0.0/8]}
                    respond: "private"
                  - path: /teapot
                    respond: {status: 418, body: "short and stout"}
                  - respond: "open"
            """);

    @Test
    void requestsAreCountedBySiteProtocolAndStatusClass() throws Exception {
        double h1Before = value(scrape(), "portcullis_requests_total", "site=\"localhost\"", "protocol=\"h1\"",
                "status=\"2xx\"");
        HttpClient h1 = server.httpClient(HttpClient.Version.HTTP_1_1);
        HttpClient h2 = server.httpClient(HttpClient.Version.HTTP_2);
        for (int i = 0; i < 3; i++) {
            assertThat(h1.send(get("/"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        assertThat(h2.send(get("/teapot"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(418);
        assertThat(h2.send(get("/teapot"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(418);

        String text = scrape();
        assertThat(value(text, "portcullis_requests_total", "site=\"localhost\"", "protocol=\"h1\"", "status=\"2xx\""))
                .isEqualTo(h1Before + 3);
        assertThat(value(text, "portcullis_requests_total", "site=\"localhost\"", "protocol=\"h2\"", "status=\"4xx\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(value(text, "portcullis_request_duration_seconds_count", "site=\"localhost\""))
                .isGreaterThanOrEqualTo(5);
        assertThat(value(text, "portcullis_request_duration_seconds_bucket", "site=\"localhost\"", "le=\"+Inf\""))
                .isGreaterThanOrEqualTo(5);
        assertThat(value(text, "portcullis_response_body_bytes_total", "site=\"localhost\""))
                .isGreaterThanOrEqualTo(3 * "open".length() + 2 * "short and stout".length());
        assertThat(value(text, "portcullis_tls_handshakes_total", "version=\"TLSv1.3\"")).isGreaterThanOrEqualTo(2);
        assertThat(value(text, "portcullis_connections_accepted_total", "listener=\"https\""))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void http3RequestsAreCountedAsH3() throws Exception {
        double before = value(scrape(), "portcullis_requests_total", "site=\"localhost\"", "protocol=\"h3\"",
                "status=\"2xx\"");
        double teapotsBefore = value(scrape(), "portcullis_requests_total", "site=\"localhost\"",
                "protocol=\"h3\"", "status=\"4xx\"");
        try (H3Client h3 = H3Client.connect(server.caFile(), "localhost", server.server().http3Port())) {
            assertThat(h3.get("/").status()).isEqualTo(200);
            assertThat(h3.get("/").status()).isEqualTo(200);
            assertThat(h3.get("/teapot").status()).isEqualTo(418);
            String text = scrape();
            assertThat(value(text, "portcullis_requests_total", "site=\"localhost\"", "protocol=\"h3\"",
                    "status=\"2xx\"")).isEqualTo(before + 2);
            assertThat(value(text, "portcullis_requests_total", "site=\"localhost\"", "protocol=\"h3\"",
                    "status=\"4xx\"")).isEqualTo(teapotsBefore + 1);
        }
    }

    @Test
    void securityEventsAndFailedHandshakesAreCountedByKind() throws Exception {
        double deniedBefore = value(scrape(), "portcullis_security_events_total", "event=\"access_denied\"");
        HttpClient h1 = server.httpClient(HttpClient.Version.HTTP_1_1);
        assertThat(h1.send(get("/private/x"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(h1.send(get("/private/y"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        // Plain HTTP on the https port: a handshake failure of kind not_tls.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // until the server closes
            }
        }
        String text = awaitScrape("portcullis_tls_handshake_failures_total", "kind=\"not_tls\"");
        assertThat(value(text, "portcullis_security_events_total", "event=\"access_denied\""))
                .isEqualTo(deniedBefore + 2);
        assertThat(value(text, "portcullis_tls_handshake_failures_total", "kind=\"not_tls\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "portcullis_security_events_total", "event=\"handshake_failed\""))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void jvmAndProcessMetersAreExported() throws Exception {
        String text = scrape();
        assertThat(value(text, "jvm_memory_used_bytes", "area=\"heap\"", "Old Gen")).isPositive();
        assertThat(value(text, "portcullis_netty_direct_memory_bytes")).isGreaterThanOrEqualTo(0);
        assertThat(text).contains("process_cpu_usage", "jvm_gc_", "jvm_threads_live_threads",
                "portcullis_connections_open", "portcullis_requests_in_flight");
        // Never a client address as a label value.
        assertThat(text).doesNotContain("127.0.0.1");
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(server.uri(path)).GET().build();
    }

    private static String scrape() throws Exception {
        return MetricsScrape.scrape(server.server());
    }

    /** Handshake failures are counted on the event loop after the client saw the close: poll briefly. */
    private static String awaitScrape(String name, String... labels) throws Exception {
        long deadline = System.nanoTime() + 3_000_000_000L;
        String text = scrape();
        while (value(text, name, labels) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            text = scrape();
        }
        return text;
    }
}
