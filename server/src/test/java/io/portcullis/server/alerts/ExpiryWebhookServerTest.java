package io.portcullis.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expiry webhook seen from its receiver: a server whose certificate file expires in 5 days POSTs one JSON alert
 * (the 7-day threshold) to a JDK HttpServer on loopback, and a certificate far from expiry sends nothing.
 */
class ExpiryWebhookServerTest {
    @TempDir
    Path dir;
    private HttpServer receiver;
    private PortcullisServer server;
    private final BlockingQueue<String> posts = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            posts.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + "\n" + body);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
    }

    private void startServer(TestCertificates.Files expiring, TestCertificates.Files fresh) throws Exception {
        String yaml = """
                data_dir: "%s"
                access_log: {output: off}
                admin: {enabled: false}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {enabled: false}
                  fallback_ports: false
                expiry_alerts:
                  webhook: http://127.0.0.1:%d/hook
                sites:
                  - hosts: [soon.example.com]
                    tls: {certificates: [{cert: "%s", key: "%s"}]}
                  - hosts: [fresh.example.com]
                    tls: {certificates: [{cert: "%s", key: "%s"}]}
                """.formatted(dir.resolve("data"), receiver.getAddress().getPort(), expiring.cert(), expiring.key(),
                fresh.cert(), fresh.key());
        Files.writeString(dir.resolve("portcullis.yaml"), yaml);
        server = PortcullisServer.start(ConfigLoader.load(dir.resolve("portcullis.yaml")));
    }

    @Test
    void aFileCertificateWithinSevenDaysIsPostedOnceAsJson() throws Exception {
        startReceiver();
        TestCertificates.Files soon = TestCertificates.write(dir, "soon", "soon.example.com", 0x5007,
                Duration.ofDays(5).plusHours(1), false, null);
        TestCertificates.Files fresh = TestCertificates.write(dir, "fresh", "fresh.example.com", 0xf4e5,
                Duration.ofDays(200), false, null);
        startServer(soon, fresh);

        String post = posts.poll(20, TimeUnit.SECONDS);
        assertThat(post).as("no POST reached the webhook").isNotNull();
        assertThat(post).startsWith("POST application/json\n");
        JsonNode json = new ObjectMapper().readTree(post.substring(post.indexOf('\n') + 1));
        assertThat(json.get("host").asText()).isEqualTo("soon.example.com");
        assertThat(Instant.parse(json.get("not_after").asText()))
                .isEqualTo(soon.leaf().getNotAfter().toInstant());
        assertThat(json.get("days_left").asLong()).isEqualTo(5);
        assertThat(json.get("threshold_days").asInt()).isEqualTo(7);
        assertThat(json.get("source").asText()).isEqualTo("files");
        assertThat(json.get("reason").asText()).contains("certificate files");
        assertThat(json.get("serial").asText()).isEqualTo("5007");
        // Only one certificate crossed a threshold, and a threshold is posted once.
        assertThat(posts.poll(3, TimeUnit.SECONDS)).isNull();
    }
}
