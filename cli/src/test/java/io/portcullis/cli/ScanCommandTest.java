package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.server.testing.PortcullisExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis scan} pointed at Portcullis itself: its defaults must grade A or better. */
class ScanCommandTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites:
              - hosts: [localhost]
                hsts: on
                routes:
                  - respond: "scanned"
            """);

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(Main.execute(args), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void portcullisDefaultsGradeAtLeastAAndOnlyModernProtocols() throws Exception {
        Path json = dir.resolve("scan.json");
        Run r = run("scan", "localhost:" + server.httpsPort(), "--ip", "127.0.0.1", "--ca-file",
                server.caFile().toString(), "--json", json.toString(), "--fail-under", "A", "--no-http");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        String text = report.toString();
        JsonNode target = report.path("reports").get(0);
        assertThat(target.path("error").isNull()).as(text).isTrue();
        java.util.List<String> offered = new java.util.ArrayList<>();
        target.path("protocols").forEach(p -> {
            if (p.path("offered").asBoolean()) {
                offered.add(p.path("protocol").asText());
            }
        });
        assertThat(offered).containsExactly("TLS 1.2", "TLS 1.3");
        target.path("ciphers").forEach(list -> list.path("suites").forEach(
                suite -> assertThat(suite.path("strength").asText()).as(suite.toString()).isEqualTo("strong")));
        assertThat(target.path("grade").path("grade").asText()).as(text).isIn("A", "A+");
        assertThat(r.out()).contains("localhost");
    }

    @Test
    void portcullisWithHstsGradesAPlusWithTheHttpChecks() throws Exception {
        Path json = dir.resolve("scan.json");
        Run r = run("scan", "localhost:" + server.httpsPort(), "--ip", "127.0.0.1", "--ca-file",
                server.caFile().toString(), "--json", json.toString(), "--fail-under", "A+");
        JsonNode target = new ObjectMapper().readTree(json.toFile()).path("reports").get(0);
        assertThat(target.path("grade").path("grade").asText()).as(target.toString()).isEqualTo("A+");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(target.path("grade").path("caps").size()).isZero();
        assertThat(target.path("http").path("hsts_max_age").asLong()).isGreaterThanOrEqualTo(15_552_000L);
        assertThat(target.path("certificates").get(0).path("chain_issues").size()).as(target.toString()).isZero();
        assertThat(target.path("quic").path("port").asInt()).isEqualTo(server.httpsPort());
    }

    @Test
    void failUnderIsACiGateAndBadTargetsAreReportedNotThrown() {
        Run r = run("scan", "127.0.0.1:1", "--timeout", "1", "--no-http", "--fail-under", "B");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out() + r.err()).containsIgnoringCase("refused");
    }

    @Test
    void usageErrorExitsTwo() {
        assertThat(run("scan", "--fail-under", "Z", "localhost").exit()).isEqualTo(2);
    }
}
