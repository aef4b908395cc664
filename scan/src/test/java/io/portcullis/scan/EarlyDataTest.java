package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.portcullis.scan.ScanReport.VulnerabilityFinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 0-RTT announced in the encrypted NewSessionTicket, read by the raw TLS 1.3 client from real s_server peers. */
class EarlyDataTest {
    private static final Instant NOW = Instant.now();
    private static TestCerts certs;
    private static Scanner scanner;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        certs = new TestCerts();
        scanner = new Scanner(ScanOptions.defaults().withHttpPort(0).withReadTimeout(Duration.ofSeconds(2))
                .withTrustAnchors(List.of(certs.ca)));
    }

    @AfterAll
    static void tearDown() {
        scanner.close();
    }

    private VulnerabilityFinding earlyData(int port) {
        ScanReport r = scanner.scan(new ScanTarget("localhost", port, null, "127.0.0.1"), x -> { });
        assertThat(r.error()).isNull();
        return r.vulnerabilities().stream().filter(v -> v.id().equals("early_data")).findFirst().orElseThrow();
    }

    @Test
    void earlyDataEnabledIsAWarningWithItsSize() throws Exception {
        certs.leaf(dir, "EC", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (OpenSslServer s = OpenSslServer.start(dir, "-tls1_3", "-early_data")) {
            VulnerabilityFinding f = earlyData(s.port);
            assertThat(f.status()).isEqualTo("warning");
            assertThat(f.detail()).contains("0-RTT accepted (max_early_data_size 16384)");
        }
    }

    @Test
    void ticketsWithoutEarlyDataAreOk() throws Exception {
        certs.leaf(dir, "RSA", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (OpenSslServer s = OpenSslServer.start(dir)) {
            VulnerabilityFinding f = earlyData(s.port);
            assertThat(f.status()).isEqualTo("ok");
            assertThat(f.detail()).contains("2 ticket(s) without early_data");
        }
    }

    @Test
    void nginxWithSslEarlyDataIsDetected() throws Exception {
        certs.leaf(dir, "EC", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (NginxTlsServer nginx = NginxTlsServer.start(dir, "ssl_protocols TLSv1.2 TLSv1.3; ssl_early_data on;")) {
            VulnerabilityFinding f = earlyData(nginx.port);
            assertThat(f.status()).as(f.detail()).isEqualTo("warning");
            assertThat(f.detail()).contains("0-RTT accepted");
        }
        try (NginxTlsServer nginx = NginxTlsServer.start(dir, "ssl_protocols TLSv1.2 TLSv1.3;")) {
            assertThat(earlyData(nginx.port).status()).isEqualTo("ok");
        }
    }

    @Test
    void tls12OnlyServerIsNotApplicable() throws Exception {
        certs.leaf(dir, "EC", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (OpenSslServer s = OpenSslServer.start(dir, "-tls1_2")) {
            assertThat(earlyData(s.port).status()).isEqualTo("not_applicable");
        }
    }
}
