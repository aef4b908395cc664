package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.portcullis.scan.ScanReport.GradeCap;
import io.portcullis.scan.ScanReport.VulnerabilityFinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scans real {@code openssl s_server} peers started on loopback with strong and deliberately weak configs. */
class ScannerIntegrationTest {
    private static final Instant NOW = Instant.now();
    private static TestCerts certs;
    private static Scanner scanner;
    private static final List<String> progress = new ArrayList<>();

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

    private ScanReport scan(int port) {
        return scanner.scan(new ScanTarget("localhost", port, null, "127.0.0.1"), progress::add);
    }

    private static Map<String, String> vulns(ScanReport r) {
        return r.vulnerabilities().stream().collect(Collectors.toMap(VulnerabilityFinding::id,
                VulnerabilityFinding::status));
    }

    private static List<String> offered(ScanReport r) {
        return r.protocols().stream().filter(ScanReport.ProtocolFinding::offered)
                .map(ScanReport.ProtocolFinding::protocol).toList();
    }

    private static List<String> capLetters(ScanReport r) {
        return r.grade().caps().stream().map(GradeCap::cap).toList();
    }

    @Test
    void strongTls12And13EcdsaGradesA() throws Exception {
        certs.leaf(dir, "EC", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        long t0 = System.nanoTime();
        try (OpenSslServer s = OpenSslServer.start(dir, "-serverpref", "-cipher",
                "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305")) {
            ScanReport r = scan(s.port);
            System.out.printf("strong scan: %d ms%n%s%n", (System.nanoTime() - t0) / 1_000_000,
                    TableRenderer.render(List.of(r)));
            assertThat(r.error()).isNull();
            assertThat(offered(r)).containsExactly("TLS 1.2", "TLS 1.3");
            ScanReport.CipherList tls12 = r.ciphers().stream().filter(c -> c.protocol().equals("TLS 1.2"))
                    .findFirst().orElseThrow();
            assertThat(tls12.serverPreference()).isTrue();
            assertThat(tls12.suites()).extracting(ScanReport.CipherFinding::name).containsExactly(
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
            assertThat(r.ciphers().stream().filter(c -> c.protocol().equals("TLS 1.3")).findFirst().orElseThrow()
                    .suites()).extracting(ScanReport.CipherFinding::name).contains("TLS_AES_256_GCM_SHA384",
                    "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
            assertThat(r.keyExchange().groupsTls13()).contains("X25519", "P-256");
            assertThat(r.keyExchange().groupsTls12()).contains("X25519", "P-256");
            assertThat(r.certificates()).hasSize(1);
            assertThat(r.certificates().get(0)).satisfies(c -> {
                assertThat(c.keyType()).isEqualTo("ECDSA");
                assertThat(c.keyBits()).isEqualTo(256);
                assertThat(c.trusted()).isTrue();
                assertThat(c.trustedJdk()).isFalse();
                assertThat(c.hostnameMatch()).isTrue();
                assertThat(c.chainLength()).isEqualTo(2);
            });
            assertThat(vulns(r)).containsEntry("fallback_scsv", "ok").containsEntry("secure_renegotiation", "ok")
                    .containsEntry("compression", "ok").containsEntry("rc4", "ok").containsEntry("drown", "ok");
            assertThat(r.http().alpn()).isNull(); // s_server -www does not do ALPN
            assertThat(r.http().status()).isEqualTo(200);
            // s_server sends no HSTS: A, not A+, and that is the only cap.
            assertThat(r.grade().grade()).isEqualTo("A");
            assertThat(capLetters(r)).containsExactly("A");
            assertThat(r.grade().mozillaProfile()).isEqualTo("intermediate");
            assertThat(ReportJson.write(List.of(r))).contains("\"schema_version\" : \"1\"", "\"groups_tls13\"",
                    "\"server_preference\" : true");
        }
    }

    @Test
    void tls10CbcStaticRsaIsCappedAtC() throws Exception {
        // Debian's OpenSSL 3.0 has no 3DES at any security level: SWEET32 is covered by the fake SSLv3 server.
        certs.leaf(dir, "RSA", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (OpenSslServer s = OpenSslServer.start(dir, "-tls1", "-cipher", "AES128-SHA:AES256-SHA:@SECLEVEL=0")) {
            ScanReport r = scan(s.port);
            System.out.println(TableRenderer.render(List.of(r)));
            assertThat(offered(r)).containsExactly("TLS 1.0");
            assertThat(r.ciphers().get(0).suites()).extracting(ScanReport.CipherFinding::name)
                    .containsExactlyInAnyOrder("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA");
            assertThat(r.certificates().get(0).keyType()).isEqualTo("RSA");
            assertThat(r.certificates().get(0).keyBits()).isEqualTo(2048);
            assertThat(vulns(r)).containsEntry("beast", "vulnerable").containsEntry("sweet32", "ok")
                    .containsEntry("fallback_scsv", "not_applicable");
            assertThat(r.grade().caps()).extracting(GradeCap::reason).anyMatch(x -> x.contains("TLS 1.2 is not"))
                    .anyMatch(x -> x.contains("AEAD")).anyMatch(x -> x.contains("forward-secret"))
                    .anyMatch(x -> x.contains("TLS 1.0/1.1"));
            assertThat(r.grade().grade()).isEqualTo("C");
            assertThat(r.grade().mozillaProfile()).isEqualTo("old");
        }
    }

    @Test
    void expiredCertificateGradesT() throws Exception {
        certs.leaf(dir, "EC", "localhost", NOW.minusSeconds(86400 * 10), NOW.minusSeconds(86400));
        try (OpenSslServer s = OpenSslServer.start(dir)) {
            ScanReport r = scan(s.port);
            assertThat(r.certificates().get(0).expired()).isTrue();
            assertThat(r.certificates().get(0).daysLeft()).isNegative();
            assertThat(r.grade().grade()).isEqualTo("T");
            assertThat(r.grade().caps()).extracting(GradeCap::reason).anyMatch(x -> x.contains("expired"));
        }
    }

    @Test
    void wrongHostGradesM() throws Exception {
        certs.leaf(dir, "EC", "other.example", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (OpenSslServer s = OpenSslServer.start(dir)) {
            ScanReport r = scan(s.port);
            assertThat(r.certificates().get(0).hostnameMatch()).isFalse();
            assertThat(r.grade().grade()).isEqualTo("M");
            assertThat(Grader.rank("M")).isLessThan(Grader.rank("F"));
        }
    }

    @Test
    void sslv3OnlyFakeServerIsDetectedFromRawBytes() throws Exception {
        try (FakeServers fake = FakeServers.sslV3()) {
            ScanReport r = scan(fake.port());
            assertThat(r.error()).isNull();
            assertThat(offered(r)).containsExactly("SSL 3.0");
            assertThat(r.ciphers().get(0).suites()).extracting(ScanReport.CipherFinding::name)
                    .containsExactly("TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
            assertThat(vulns(r)).containsEntry("poodle_ssl", "vulnerable").containsEntry("rc4", "vulnerable")
                    .containsEntry("sweet32", "vulnerable");
            assertThat(rankOf(r)).isLessThanOrEqualTo(Grader.rank("C"));
        }
    }

    private static int rankOf(ScanReport r) {
        return Grader.rank(r.grade().grade());
    }

    @Test
    void nonTlsPeersGiveClearErrorsAndOtherTargetsStillScan() throws Exception {
        certs.leaf(dir, "EC", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (FakeServers ssh = FakeServers.ssh(); FakeServers silent = FakeServers.silent();
             FakeServers reset = FakeServers.reset(); OpenSslServer good = OpenSslServer.start(dir)) {
            int closedPort;
            try (java.net.ServerSocket tmp = new java.net.ServerSocket(0)) {
                closedPort = tmp.getLocalPort();
            }
            List<ScanTarget> targets = List.of(
                    new ScanTarget("localhost", ssh.port(), null, "127.0.0.1"),
                    new ScanTarget("localhost", silent.port(), null, "127.0.0.1"),
                    new ScanTarget("localhost", reset.port(), null, "127.0.0.1"),
                    new ScanTarget("localhost", closedPort, null, "127.0.0.1"),
                    new ScanTarget("no-such-host.invalid", 443, null, null),
                    new ScanTarget("localhost", good.port, null, "127.0.0.1"));
            long t0 = System.nanoTime();
            List<ScanReport> reports = scanner.scanAll(targets, progress::add);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println(TableRenderer.render(reports));
            Function<Integer, String> err = i -> reports.get(i).error();
            assertThat(err.apply(0)).isEqualTo("not TLS: peer sent 'SSH-2.0-OpenSSH_9.2'");
            assertThat(err.apply(1)).startsWith("timed out: no answer within 2000 ms");
            assertThat(err.apply(2)).contains("reset");
            assertThat(err.apply(3)).isEqualTo("connection refused");
            assertThat(err.apply(4)).isEqualTo("cannot resolve no-such-host.invalid");
            assertThat(reports.get(5).error()).isNull();
            assertThat(reports.get(5).grade().grade()).isEqualTo("A");
            assertThat(ms).as("silence must cost one read timeout, not one per probe").isLessThan(15_000);
            assertThat(TableRenderer.render(reports)).contains("not TLS: peer sent 'SSH-2.0-OpenSSH_9.2'");
        }
    }

    @Test
    void jsonIsWrittenForFailedTargetsToo() throws Exception {
        ScanReport r = scanner.scan(new ScanTarget("no-such-host.invalid", 443, null, null), x -> { });
        String json = ReportJson.write(List.of(r));
        assertThat(json).contains("\"error\" : \"cannot resolve no-such-host.invalid\"", "\"grade\" : null");
        Files.writeString(dir.resolve("r.json"), json);
        assertThat(ReportJson.mapper().readTree(dir.resolve("r.json").toFile()).get("reports").size()).isEqualTo(1);
    }
}
