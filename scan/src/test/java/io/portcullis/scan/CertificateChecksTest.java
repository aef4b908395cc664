package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.portcullis.scan.ScanReport.CertificateFinding;
import io.portcullis.scan.ScanReport.GradeCap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate findings against real {@code openssl s_server} peers serving crafted chains: completeness, order,
 * extras, must-staple, SCTs, OCSP URL, lifespan, weak keys and signatures, and RSA and ECDSA certificates served
 * side by side (TLS 1.2 and TLS 1.3 only).
 */
class CertificateChecksTest {
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

    private static TestCerts.Spec spec(String keyType) {
        return new TestCerts.Spec(keyType, "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
    }

    private ScanReport scan(int port) {
        ScanReport r = scanner.scan(new ScanTarget("localhost", port, null, "127.0.0.1"), x -> { });
        System.out.println(TableRenderer.render(List.of(r)));
        assertThat(r.error()).isNull();
        return r;
    }

    private static List<String> reasons(ScanReport r) {
        return r.grade().caps().stream().map(c -> c.cap() + ": " + c.reason()).toList();
    }

    @Test
    void healthyChainViaIntermediateHasNoIssues() throws Exception {
        TestCerts.Spec s = spec("EC");
        s.viaIntermediate = true;
        try (OpenSslServer server = OpenSslServer.start(certs.write(dir, s))) {
            CertificateFinding c = scan(server.port).certificates().get(0);
            assertThat(c.chainComplete()).isTrue();
            assertThat(c.chainInOrder()).isTrue();
            assertThat(c.chainIssues()).isEmpty();
            assertThat(c.chainLength()).isEqualTo(2);
            assertThat(c.trusted()).isTrue();
            assertThat(c.mustStaple()).isFalse();
            assertThat(c.scts()).isFalse();
            assertThat(c.ocspUrls()).isEmpty();
            assertThat(c.lifespanDays()).isEqualTo(20);
        }
    }

    @Test
    void missingIntermediateIsIncompleteAndGradesT() throws Exception {
        TestCerts.Spec s = spec("EC");
        s.viaIntermediate = true;
        s.serveIntermediate = false;
        try (OpenSslServer server = OpenSslServer.start(certs.write(dir, s))) {
            ScanReport r = scan(server.port);
            CertificateFinding c = r.certificates().get(0);
            assertThat(c.chainLength()).isEqualTo(1);
            assertThat(c.chainComplete()).isFalse();
            assertThat(c.chainIssues()).singleElement().asString().startsWith("incomplete")
                    .contains("CN=Scan Test Intermediate");
            assertThat(c.trusted()).isFalse();
            assertThat(r.grade().grade()).isEqualTo("T");
            assertThat(reasons(r)).anyMatch(x -> x.startsWith("T: ") && x.contains("chain incomplete"));
        }
    }

    @Test
    void outOfOrderChainIsFlaggedAndBlocksAPlus() throws Exception {
        TestCerts.Spec s = spec("EC");
        s.viaIntermediate = true;
        s.served = List.of(certs.ca, certs.intermediate); // root before the intermediate it issued
        try (OpenSslServer server = OpenSslServer.start(certs.write(dir, s))) {
            ScanReport r = scan(server.port);
            CertificateFinding c = r.certificates().get(0);
            assertThat(c.chainLength()).isEqualTo(3);
            assertThat(c.chainComplete()).isTrue();
            assertThat(c.chainInOrder()).isFalse();
            assertThat(c.chainIssues()).anyMatch(i -> i.startsWith("out of order"));
            assertThat(reasons(r)).anyMatch(x -> x.startsWith("A: ") && x.contains("out of order"));
            assertThat(r.grade().grade()).isNotEqualTo("A+");
        }
    }

    @Test
    void unrelatedExtraCertificateIsFlagged() throws Exception {
        TestCerts.Spec s = spec("EC");
        X509Stranger stranger = new X509Stranger();
        s.served = List.of(stranger.cert);
        try (OpenSslServer server = OpenSslServer.start(certs.write(dir, s))) {
            CertificateFinding c = scan(server.port).certificates().get(0);
            assertThat(c.chainComplete()).isTrue(); // the leaf's issuer is a trust anchor
            assertThat(c.chainInOrder()).isTrue();
            assertThat(c.chainIssues()).singleElement().asString().startsWith("extra certificate")
                    .contains("CN=Scan Test CA");
        }
    }

    /** Another CA with the same name as ours but another key: only the signature check tells them apart. */
    private static final class X509Stranger {
        final java.security.cert.X509Certificate cert;

        X509Stranger() throws Exception {
            cert = new TestCerts().ca;
        }
    }

    @Test
    void mustStapleSctsOcspUrlAndLongLifespanAreReported() throws Exception {
        TestCerts.Spec s = new TestCerts.Spec("EC", "localhost", NOW.minusSeconds(86400), NOW.plusSeconds(86400 * 399));
        s.mustStaple = true;
        s.sct = true;
        s.ocspUrl = "http://ocsp.scan-test.example/";
        try (OpenSslServer server = OpenSslServer.start(certs.write(dir, s))) {
            ScanReport r = scan(server.port);
            CertificateFinding c = r.certificates().get(0);
            assertThat(c.mustStaple()).isTrue();
            assertThat(c.ocspStapled()).isFalse(); // s_server without -status staples nothing
            assertThat(c.scts()).isTrue();
            assertThat(c.ocspUrls()).containsExactly("http://ocsp.scan-test.example/");
            assertThat(c.lifespanDays()).isEqualTo(400);
            assertThat(reasons(r)).anyMatch(x -> x.startsWith("T: ") && x.contains("must-staple"))
                    .anyMatch(x -> x.startsWith("A: ") && x.contains("lifespan of 400 days"));
            assertThat(r.grade().grade()).isEqualTo("T");
        }
    }

    @Test
    void mustStapleWithAStapledResponseIsFineOnTls12And13() throws Exception {
        TestCerts.Spec s = spec("EC");
        s.mustStaple = true;
        certs.write(dir, s);
        Path ocsp = certs.ocspResponse(dir);
        try (OpenSslServer server = OpenSslServer.start(dir, "-status_file", ocsp.toString())) {
            ScanReport r = scan(server.port);
            assertThat(r.certificates()).singleElement().satisfies(c -> {
                assertThat(c.mustStaple()).isTrue();
                assertThat(c.ocspStapled()).isTrue();
            });
            assertThat(reasons(r)).noneMatch(x -> x.contains("must-staple"));
            assertThat(r.grade().grade()).isEqualTo("A");
        }
        try (OpenSslServer server = OpenSslServer.start(dir, "-status_file", ocsp.toString(), "-tls1_3")) {
            CertificateFinding c = scan(server.port).certificates().get(0);
            assertThat(c.fetchedWith()).isEqualTo("ECDSA TLS 1.3");
            assertThat(c.ocspStapled()).as("stapled inside the TLS 1.3 CertificateEntry").isTrue();
        }
    }

    @Test
    void notYetValidLeafGradesT() throws Exception {
        certs.write(dir, new TestCerts.Spec("EC", "localhost", NOW.plusSeconds(86400 * 2), NOW.plusSeconds(86400 * 30)));
        try (OpenSslServer server = OpenSslServer.start(dir)) {
            ScanReport r = scan(server.port);
            assertThat(r.certificates().get(0).notYetValid()).isTrue();
            assertThat(r.grade().grade()).isEqualTo("T");
            assertThat(reasons(r)).anyMatch(x -> x.startsWith("T: ") && x.contains("not valid before"));
        }
    }

    @Test
    void selfSignedLeafIsCompleteButUntrusted() throws Exception {
        java.security.KeyPair kp = TestCerts.ec();
        java.security.cert.X509Certificate self = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                        new org.bouncycastle.asn1.x500.X500Name("CN=localhost"), java.math.BigInteger.TEN,
                        java.util.Date.from(NOW.minusSeconds(60)), java.util.Date.from(NOW.plusSeconds(86400)),
                        new org.bouncycastle.asn1.x500.X500Name("CN=localhost"), kp.getPublic())
                        .addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                                        org.bouncycastle.asn1.x509.GeneralName.dNSName, "localhost")))
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                                .build(kp.getPrivate())));
        io.portcullis.tls.PemFiles.writeCertificates(dir.resolve("cert.pem"), List.of(self));
        io.portcullis.tls.PemFiles.writePrivateKey(dir.resolve("key.pem"), kp.getPrivate());
        try (OpenSslServer server = OpenSslServer.start(dir)) {
            ScanReport r = scan(server.port);
            CertificateFinding c = r.certificates().get(0);
            assertThat(c.selfSigned()).isTrue();
            assertThat(c.trusted()).isFalse();
            assertThat(c.chainComplete()).isTrue();
            assertThat(c.chainIssues()).isEmpty();
            assertThat(reasons(r)).anyMatch(x -> x.startsWith("T: ") && x.contains("self-signed"));
        }
    }

    @Test
    void rsa1024AndSha1SignatureAreCapped() throws Exception {
        TestCerts.Spec s = spec("RSA");
        s.rsaBits = 1024;
        s.signature = "SHA1withECDSA";
        try (OpenSslServer server = OpenSslServer.start(certs.write(dir, s), "-cipher", "DEFAULT:@SECLEVEL=0")) {
            ScanReport r = scan(server.port);
            CertificateFinding c = r.certificates().get(0);
            assertThat(c.keyType()).isEqualTo("RSA");
            assertThat(c.keyBits()).isEqualTo(1024);
            assertThat(c.signatureAlgorithm()).isEqualTo("SHA1withECDSA");
            assertThat(reasons(r)).anyMatch(x -> x.startsWith("B: RSA key of 1024 bits"))
                    .anyMatch(x -> x.startsWith("T: ") && x.contains("SHA1withECDSA"));
            assertThat(r.grade().grade()).isEqualTo("T");
        }
    }

    @Test
    void rsaAndEcdsaSideBySideAreTwoChainsOnTls12() throws Exception {
        Path rsa = Files.createDirectory(dir.resolve("rsa"));
        Path ec = Files.createDirectory(dir.resolve("ec"));
        certs.write(rsa, spec("RSA"));
        certs.write(ec, spec("EC"));
        try (OpenSslServer server = OpenSslServer.start(ec, dual(rsa))) {
            ScanReport r = scan(server.port);
            assertThat(r.certificates()).extracting(CertificateFinding::keyType)
                    .containsExactlyInAnyOrder("RSA", "ECDSA");
            assertThat(r.certificates()).extracting(CertificateFinding::fetchedWith)
                    .containsExactlyInAnyOrder("RSA TLS 1.2", "ECDSA TLS 1.2");
        }
    }

    @Test
    void rsaAndEcdsaSideBySideAreTwoChainsOnTls13Only() throws Exception {
        Path rsa = Files.createDirectory(dir.resolve("rsa"));
        Path ec = Files.createDirectory(dir.resolve("ec"));
        certs.write(rsa, spec("RSA"));
        certs.write(ec, spec("EC"));
        List<String> args = new java.util.ArrayList<>(List.of(dual(rsa)));
        args.add("-tls1_3");
        try (OpenSslServer server = OpenSslServer.start(ec, args.toArray(new String[0]))) {
            ScanReport r = scan(server.port);
            assertThat(r.protocols()).filteredOn(ScanReport.ProtocolFinding::offered)
                    .extracting(ScanReport.ProtocolFinding::protocol).containsExactly("TLS 1.3");
            assertThat(r.certificates()).extracting(CertificateFinding::fetchedWith)
                    .containsExactlyInAnyOrder("RSA TLS 1.3", "ECDSA TLS 1.3");
            assertThat(r.certificates()).extracting(CertificateFinding::keyType)
                    .containsExactlyInAnyOrder("RSA", "ECDSA");
        }
    }

    @Test
    void singleCertificateTls13OnlyServerIsOneChain() throws Exception {
        certs.write(dir, spec("RSA"));
        try (OpenSslServer server = OpenSslServer.start(dir, "-tls1_3")) {
            ScanReport r = scan(server.port);
            assertThat(r.certificates()).extracting(CertificateFinding::fetchedWith).containsExactly("RSA TLS 1.3");
        }
    }

    @Test
    void tls13ServerWithP256OnlyIsReadWithoutHelloRetry() throws Exception {
        certs.write(dir, spec("EC"));
        try (OpenSslServer server = OpenSslServer.start(dir, "-tls1_3", "-groups", "P-256")) {
            ScanReport r = scan(server.port);
            assertThat(r.keyExchange().groupsTls13()).containsExactly("P-256");
            assertThat(r.certificates()).extracting(CertificateFinding::fetchedWith).containsExactly("ECDSA TLS 1.3");
            assertThat(r.vulnerabilities()).filteredOn(v -> v.id().equals("early_data"))
                    .extracting(ScanReport.VulnerabilityFinding::status).containsExactly("ok");
        }
    }

    private static String[] dual(Path rsa) {
        return new String[] {"-dcert", rsa.resolve("cert.pem").toString(), "-dkey", rsa.resolve("key.pem").toString(),
            "-dcert_chain", rsa.resolve("chain.pem").toString()};
    }
}
