package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.scan.ScanReport.CertificateFinding;
import io.portcullis.tls.PemFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scanner and testssl.sh (the Debian package) on the same loopback {@code openssl s_server}: protocols, suites
 * per protocol, the main vulnerabilities and the certificate verdicts must agree, and the scanner must be at least
 * ten times faster. One server mixes TLS 1.0-1.3, CBC, static RSA and ECDHE so most vulnerability verdicts have
 * something to say; the other is modern but serves a certificate with three problems at once.
 */
@Tag("slow")
class TestsslComparisonTest {
    private static final Path TESTSSL = Path.of("/usr/bin/testssl");
    /** testssl id to scanner id, for the vulnerabilities both tools test. */
    private static final Map<String, String> VULNS = Map.ofEntries(Map.entry("heartbleed", "heartbleed"),
            Map.entry("CCS", "ccs_injection"), Map.entry("ROBOT", "robot"),
            Map.entry("secure_renego", "secure_renegotiation"), Map.entry("secure_client_renego",
                    "client_renegotiation"), Map.entry("CRIME_TLS", "compression"),
            Map.entry("POODLE_SSL", "poodle_ssl"), Map.entry("fallback_SCSV", "fallback_scsv"),
            Map.entry("SWEET32", "sweet32"), Map.entry("FREAK", "freak"), Map.entry("DROWN", "drown"),
            Map.entry("LOGJAM", "logjam"), Map.entry("BEAST", "beast"), Map.entry("RC4", "rc4"));
    private static final Map<String, String> PROTOCOLS = Map.of("SSLv2", "SSL 2.0", "SSLv3", "SSL 3.0",
            "TLS1", "TLS 1.0", "TLS1_1", "TLS 1.1", "TLS1_2", "TLS 1.2", "TLS1_3", "TLS 1.3");

    @TempDir
    Path dir;

    /** One server configuration for both tools. */
    record Case(String name, String keyType, boolean healthyCert, List<String> testsslChecks, String grade,
                String... serverArgs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("TLS 1.0-1.3, CBC, static RSA and ECDHE; healthy RSA chain", "RSA", true,
                        List.of("-p", "-E", "-U", "-S"), "B", "-cipher",
                        "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:ECDHE-RSA-AES256-SHA:AES256-GCM-SHA384:@SECLEVEL=0"),
                new Case("TLS 1.2-1.3 ECDHE; expired ECDSA leaf for another host, intermediate not served", "EC",
                        false, List.of("-p", "-E", "-S"), "T", "-no_tls1", "-no_tls1_1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictsAgreeWithTestsslAndScanIsTenTimesFaster(Case c) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(TESTSSL), "testssl.sh not installed");
        TestCerts certs = new TestCerts();
        Instant now = Instant.now();
        TestCerts.Spec spec = c.healthyCert()
                ? new TestCerts.Spec(c.keyType(), "localhost", now.minusSeconds(3600), now.plusSeconds(86400 * 60))
                : new TestCerts.Spec(c.keyType(), "other.example", now.minusSeconds(86400 * 10),
                        now.minusSeconds(86400));
        spec.viaIntermediate = true;
        spec.serveIntermediate = c.healthyCert();
        certs.write(dir, spec);
        Path ca = dir.resolve("ca.pem");
        PemFiles.writeCertificates(ca, List.of(certs.ca));
        try (OpenSslServer server = OpenSslServer.start(dir, c.serverArgs());
             Scanner scanner = new Scanner(ScanOptions.defaults().withHttpPort(0).withTrustAnchors(
                     List.of(certs.ca)))) {
            long t0 = System.nanoTime();
            ScanReport ours = scanner.scan(new ScanTarget("localhost", server.port, null, "127.0.0.1"), x -> { });
            long oursMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println(TableRenderer.render(List.of(ours)));

            Path json = dir.resolve("testssl.json");
            long t1 = System.nanoTime();
            List<String> cmd = new ArrayList<>(List.of(TESTSSL.toString(), "--quiet", "--color", "0", "--warnings",
                    "off", "--ip", "127.0.0.1", "--add-ca", ca.toString()));
            cmd.addAll(c.testsslChecks());
            cmd.addAll(List.of("--jsonfile", json.toString(), "localhost:" + server.port));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("testssl.txt").toFile()).start();
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
            long testsslMs = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf("timing (%s): portcullis scan %d ms, testssl.sh %s %d ms, ratio %.1fx%n", c.name(),
                    oursMs, String.join(" ", c.testsslChecks()), testsslMs, (double) testsslMs / Math.max(1, oursMs));
            Map<String, JsonNode> ts = new LinkedHashMap<>();
            ReportJson.mapper().readTree(json.toFile()).forEach(n -> ts.putIfAbsent(n.get("id").asText(), n));

            // Protocols.
            PROTOCOLS.forEach((id, name) -> {
                boolean theirs = ts.get(id).get("finding").asText().startsWith("offered");
                boolean mine = ours.protocols().stream().anyMatch(f -> f.protocol().equals(name) && f.offered());
                assertThat(mine).as(name + " offered (testssl: " + ts.get(id).get("finding") + ")")
                        .isEqualTo(theirs);
            });
            // Suites per protocol: testssl's -E lines end with the IANA name.
            Map<String, Set<String>> theirSuites = new LinkedHashMap<>();
            ts.forEach((id, n) -> {
                if (id.startsWith("cipher-tls") || id.startsWith("cipher-ssl")) {
                    String[] f = n.get("finding").asText().trim().split("\\s+");
                    String proto = f[0].equals("TLS") ? "TLS " + (f[1].contains(".") ? f[1] : "1.0") : f[0];
                    theirSuites.computeIfAbsent(proto, k -> new TreeSet<>()).add(f[f.length - 1]);
                }
            });
            Map<String, Set<String>> mySuites = new LinkedHashMap<>();
            ours.ciphers().forEach(l -> mySuites.put(l.protocol(), new TreeSet<>(l.suites().stream()
                    .map(ScanReport.CipherFinding::name).toList())));
            assertThat(mySuites).isEqualTo(theirSuites);
            // Vulnerabilities.
            Map<String, String> mine = new LinkedHashMap<>();
            ours.vulnerabilities().forEach(v -> mine.put(v.id(), v.status()));
            List<String> disagreements = new ArrayList<>();
            VULNS.forEach((theirId, myId) -> {
                JsonNode n = ts.get(theirId);
                if (n == null) {
                    return; // vulnerabilities not run (-U) for this case
                }
                String finding = n.get("finding").asText();
                String severity = n.get("severity").asText();
                boolean theirsBad = finding.contains("VULNERABLE") || finding.startsWith("not supported")
                        || Set.of("MEDIUM", "HIGH", "CRITICAL").contains(severity) && !theirId.equals("BEAST");
                boolean mineBad = "vulnerable".equals(mine.get(myId));
                assertThat(mine.get(myId)).as(myId).isIn("ok", "vulnerable", "not_applicable");
                if (theirsBad != mineBad) {
                    disagreements.add(theirId + ": testssl " + severity + " '" + finding + "' vs ours "
                            + mine.get(myId));
                }
            });
            assertThat(disagreements).isEmpty();
            // Certificate verdicts.
            CertificateFinding cert = ours.certificates().get(0);
            String keySize = ts.get("cert_keySize").get("finding").asText();
            assertThat(keySize).startsWith((cert.keyType().equals("ECDSA") ? "EC" : cert.keyType()) + " "
                    + cert.keyBits() + " bits");
            String trust = ts.get("cert_chain_of_trust").get("finding").asText();
            assertThat(trust).as("chain of trust").startsWith(cert.trusted() ? "passed" : "failed");
            assertThat(trust.contains("chain incomplete")).as(trust).isEqualTo(!cert.chainComplete());
            String name = ts.get("cert_trust").get("finding").asText();
            assertThat(name.startsWith("Ok")).as(name).isEqualTo(cert.hostnameMatch());
            String expiry = ts.get("cert_expirationStatus").get("finding").asText();
            assertThat(expiry.contains("expired")).as(expiry).isEqualTo(cert.expired());
            assertThat(ts.get("certs_list_ordering_problem").get("finding").asText())
                    .isEqualTo(cert.chainInOrder() ? "no" : "yes");
            assertThat(ts.get("cert_mustStapleExtension").get("finding").asText()).isEqualTo(cert.mustStaple()
                    ? "supported" : "--");
            assertThat(ours.grade().grade()).isEqualTo(c.grade());
            assertThat(testsslMs).as("scanner at least 10x faster").isGreaterThanOrEqualTo(10 * oursMs);
        }
    }

}
