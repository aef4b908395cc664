package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.Processes;
import io.portcullis.server.testing.RawHttpsClient;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Security events reach the audit log (default: {@code <data_dir>/audit.log}) as JSON lines. */
class AuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITES = """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /private/*
                    access: {deny: [127.0.0.0/8]}
                    respond: "private"
                  - respond: "open"
            """;

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(SITES);

    private static Path auditLog() {
        return server.dir().resolve("data").resolve("audit.log");
    }

    /** Waits up to 3 s for an event matching {@code test} (the log is written asynchronously). */
    private static JsonNode awaitEvent(Predicate<JsonNode> test) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(auditLog())) {
                lines = Files.readAllLines(auditLog(), StandardCharsets.UTF_8);
                for (String line : lines) {
                    JsonNode n = JSON.readTree(line);
                    if (test.test(n)) {
                        return n;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching audit event in " + lines);
    }

    private static Predicate<JsonNode> event(String name) {
        return n -> n.path("event").asText().equals(name);
    }

    @Test
    void accessDeniedNamesTheRuleAndAddress() throws Exception {
        RawHttpsClient.get(server, "localhost", "/private/audit-me");
        JsonNode e = awaitEvent(event("access_denied").and(n -> n.path("uri").asText().equals("/private/audit-me")));
        assertThat(e.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(e.path("rule").asText()).isEqualTo("route 0 deny 127.0.0.0/8");
        assertThat(e.path("action").asText()).isEqualTo("forbidden");
        assertThat(e.path("request_id").asText()).isNotEmpty();
        assertThat(e.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void malformedRequestIsRecorded() throws Exception {
        try (RawHttpsClient c = RawHttpsClient.connect(server, "localhost")) {
            c.write("GET /no-host HTTP/1.1\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(400);
        }
        JsonNode e = awaitEvent(event("malformed_request"));
        assertThat(e.path("status").asText()).isEqualTo("400");
        assertThat(e.path("reason").asText()).isNotEmpty();
    }

    @Test
    void handshakeFailuresCarryAKindAndReason() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpsPort())) {
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.getInputStream().read();
        }
        assertThat(awaitEvent(event("handshake_failed").and(n -> n.path("kind").asText().equals("not_tls")))
                .path("address").asText()).isEqualTo("127.0.0.1");

        Processes.Result r = Processes.run(Duration.ofSeconds(20), "", List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + server.httpsPort(), "-servername", "localhost", "-tls1_2", "-cipher", "AES128-SHA"));
        assertThat(r.output()).doesNotContain("BEGIN CERTIFICATE");
        JsonNode cipher = awaitEvent(event("handshake_failed").and(n -> n.path("kind").asText()
                .equals("no_shared_cipher")));
        assertThat(cipher.path("reason").asText()).isNotEmpty();
        assertThat(cipher.path("sni").asText()).isEqualTo("localhost");

        Processes.run(Duration.ofSeconds(20), "", List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + server.httpsPort(), "-servername", "localhost", "-tls1_1", "-cipher",
                "DEFAULT@SECLEVEL=0"));
        awaitEvent(event("handshake_failed").and(n -> n.path("kind").asText().equals("protocol_version")));
    }

    @Test
    void configReloadIsRecorded() throws Exception {
        String yaml = server.fullYaml(SITES.replace("\"open\"", "\"open again\""));
        PortcullisConfig next = ConfigLoader.loadString(yaml, "reloaded.yaml", server.dir());
        server.server().reload(next);
        assertThat(awaitEvent(event("config_reloaded")).path("source").asText()).isEqualTo("embedded default");
    }
}
