package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Semaphore;

import io.portcullis.scan.ScanReport.VulnerabilityFinding;
import io.portcullis.tls.ProtocolVersion;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ROBOT: real OpenSSL with RSA key exchange answers every premaster alike; a Bleichenbacher oracle does not. */
class RobotTest {
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

    private static VulnerabilityFinding robot(ScanReport r) {
        return r.vulnerabilities().stream().filter(v -> v.id().equals("robot")).findFirst().orElseThrow();
    }

    @Test
    void openSslWithRsaKeyExchangeIsNotAnOracle() throws Exception {
        certs.leaf(dir, "RSA", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (OpenSslServer s = OpenSslServer.start(dir, "-tls1_2", "-cipher", "AES128-GCM-SHA256:AES128-SHA")) {
            ScanReport r = scanner.scan(new ScanTarget("localhost", s.port, null, "127.0.0.1"), x -> { });
            assertThat(robot(r).status()).as(robot(r).detail()).isEqualTo("ok");
            assertThat(robot(r).detail()).contains("all 5 malformed premasters answered alike");
        }
    }

    @Test
    void ecdheOnlyServerIsNotApplicable() throws Exception {
        certs.leaf(dir, "RSA", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (OpenSslServer s = OpenSslServer.start(dir, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")) {
            ScanReport r = scanner.scan(new ScanTarget("localhost", s.port, null, "127.0.0.1"), x -> { });
            assertThat(robot(r).status()).isEqualTo("not_applicable");
        }
    }

    @Test
    void bleichenbacherOracleIsVulnerableAndGradesF() throws Exception {
        KeyPair kp = TestCerts.rsa();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=localhost"), BigInteger.TEN, Date.from(NOW.minusSeconds(60)),
                Date.from(NOW.plusSeconds(86400)), new X500Name("CN=localhost"), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
        try (FakeServers oracle = FakeServers.robotOracle(kp, cert)) {
            Probe probe = new Probe(new java.net.InetSocketAddress("127.0.0.1", oracle.port()),
                    ScanOptions.defaults().withReadTimeout(Duration.ofSeconds(2)), new Semaphore(4));
            VulnerabilityFinding f = new RobotCheck(probe, "localhost", ProtocolVersion.TLS_V1_2,
                    List.of(0x009C)).run();
            assertThat(f.status()).as(f.detail()).isEqualTo("vulnerable");
            assertThat(f.detail()).contains("WRONG_HEADER=alert 51", "VALID=alert 20");
            ScanReport graded = new GraderRulesTest.Report().build();
            assertThat(Grader.grade(withRobot(graded, f)).grade()).isEqualTo("F");
        }
    }

    private static ScanReport withRobot(ScanReport r, VulnerabilityFinding f) {
        List<VulnerabilityFinding> v = new java.util.ArrayList<>(r.vulnerabilities());
        v.removeIf(x -> x.id().equals("robot"));
        v.add(f);
        return new ScanReport(r.schemaVersion(), r.target(), r.host(), r.port(), r.ip(), r.sni(), r.startedAt(),
                r.durationMillis(), null, r.protocols(), r.ciphers(), r.keyExchange(), r.certificates(), v, r.http(),
                null, null);
    }
}
