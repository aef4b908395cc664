package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.server.testing.PortcullisExtension;
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

    @Test
    void portcullisDefaultsGradeAtLeastAAndOnlyModernProtocols() throws Exception {
        Path json = dir.resolve("scan.json");
        CliRun r = CliRun.of("scan", "localhost:" + server.httpsPort(), "--ip", "127.0.0.1", "--ca-file",
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
        CliRun r = CliRun.of("scan", "localhost:" + server.httpsPort(), "--ip", "127.0.0.1", "--ca-file",
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
        CliRun r = CliRun.of("scan", "127.0.0.1:1", "--timeout", "1", "--no-http", "--fail-under", "B");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out() + r.err()).containsIgnoringCase("refused");
    }

    @Test
    void usageErrorExitsTwo() {
        assertThat(CliRun.of("scan", "--fail-under", "Z", "localhost").exit()).isEqualTo(2);
    }
}
