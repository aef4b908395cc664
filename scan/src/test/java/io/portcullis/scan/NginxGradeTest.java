package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.portcullis.scan.ScanReport.GradeCap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real nginx configurations graded end to end: strong with HSTS A+, the same without HSTS A, TLS 1.0 on B. */
class NginxGradeTest {
    private static final Instant NOW = Instant.now();
    private static final String STRONG = """
            ssl_protocols TLSv1.2 TLSv1.3;
            ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305;
            ssl_prefer_server_ciphers off;
            """;
    private static final String HSTS = "add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;";
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

    private ScanReport scanNginx(String directives) throws Exception {
        TestCerts.Spec s = new TestCerts.Spec("EC", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 60));
        s.viaIntermediate = true;
        certs.write(dir, s);
        try (NginxTlsServer nginx = NginxTlsServer.start(dir, directives)) {
            ScanReport r = scanner.scan(new ScanTarget("localhost", nginx.port, null, "127.0.0.1"), x -> { });
            System.out.println(TableRenderer.render(List.of(r)));
            assertThat(r.error()).as(nginx.logs()).isNull();
            return r;
        }
    }

    @Test
    void strongNginxWithHstsGradesAPlus() throws Exception {
        ScanReport r = scanNginx(STRONG + HSTS);
        assertThat(r.grade().caps()).isEmpty();
        assertThat(r.grade().grade()).isEqualTo("A+");
        assertThat(r.http().hstsMaxAge()).isEqualTo(63072000L);
        assertThat(r.certificates()).singleElement().satisfies(c -> {
            assertThat(c.chainIssues()).isEmpty();
            assertThat(c.trusted()).isTrue();
        });
    }

    @Test
    void sameNginxWithoutHstsGradesA() throws Exception {
        ScanReport r = scanNginx(STRONG);
        assertThat(r.grade().grade()).isEqualTo("A");
        assertThat(r.grade().caps()).extracting(GradeCap::cap).containsExactly("A");
        assertThat(r.grade().caps().get(0).reason()).contains("no HSTS header");
    }

    @Test
    void tls10EnabledNginxGradesB() throws Exception {
        // OpenSSL 3 refuses TLS 1.0 at the default security level; @SECLEVEL=0 is how such servers are run.
        ScanReport r = scanNginx("""
                ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
                ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0;
                """ + HSTS);
        assertThat(r.protocols()).filteredOn(ScanReport.ProtocolFinding::offered)
                .extracting(ScanReport.ProtocolFinding::protocol)
                .containsExactly("TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3");
        assertThat(r.grade().grade()).isEqualTo("B");
        assertThat(r.grade().caps()).extracting(GradeCap::reason).anyMatch(x -> x.contains("TLS 1.0/1.1 offered"));
    }
}
