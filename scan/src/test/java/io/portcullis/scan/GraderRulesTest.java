package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.portcullis.scan.ScanReport.CertificateFinding;
import io.portcullis.scan.ScanReport.CipherFinding;
import io.portcullis.scan.ScanReport.CipherList;
import io.portcullis.scan.ScanReport.GradeCap;
import io.portcullis.scan.ScanReport.GradeResult;
import io.portcullis.scan.ScanReport.HttpFinding;
import io.portcullis.scan.ScanReport.KeyExchangeFinding;
import io.portcullis.scan.ScanReport.ProtocolFinding;
import io.portcullis.scan.ScanReport.VulnerabilityFinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per rating rule: a report that earns A+ is changed in exactly one way and must get exactly the grade
 * the SSL Labs rules give (Qualys' published rating guide and its grading-change announcements: January 2014,
 * January 2017, March 2018, January 2020), with a cap whose reason names the finding.
 */
class GraderRulesTest {
    /** The A+ baseline: TLS 1.2 + 1.3, ECDHE + AEAD, a trusted P-256 leaf, two-year HSTS, nothing vulnerable. */
    static final class Report {
        final Map<String, List<String>> suites = new LinkedHashMap<>();
        Integer dhBits;
        String keyType = "ECDSA";
        int keyBits = 256;
        String signature = "SHA256withRSA";
        boolean expired;
        boolean notYetValid;
        boolean selfSigned;
        boolean trusted = true;
        boolean hostnameMatch = true;
        boolean chainComplete = true;
        boolean chainInOrder = true;
        List<String> chainIssues = new ArrayList<>();
        long lifespan = 90;
        boolean mustStaple;
        boolean stapled;
        String hsts = "max-age=63072000; includeSubDomains";
        Long hstsMaxAge = 63072000L;
        final Map<String, String> vulns = new LinkedHashMap<>();

        Report() {
            suites.put("TLS 1.2", new ArrayList<>(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")));
            suites.put("TLS 1.3", new ArrayList<>(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384")));
            for (String id : List.of("fallback_scsv", "secure_renegotiation", "compression", "heartbleed",
                    "ccs_injection", "client_renegotiation", "robot")) {
                vulns.put(id, "ok");
            }
        }

        Report add(String protocol, String... names) {
            suites.computeIfAbsent(protocol, p -> new ArrayList<>()).addAll(List.of(names));
            return this;
        }

        ScanReport build() {
            List<ProtocolFinding> protocols = Stream.of("SSL 2.0", "SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2",
                    "TLS 1.3").map(p -> new ProtocolFinding(p, suites.containsKey(p), null)).toList();
            List<CipherList> ciphers = suites.entrySet().stream().map(e -> new CipherList(e.getKey(), true,
                    e.getValue().stream().map(n -> new CipherFinding("0x00,0x00", n, null, null, 128, true, true,
                            "strong")).toList())).toList();
            CertificateFinding cert = new CertificateFinding("ECDSA TLS 1.2", "CN=example.com", "CN=CA",
                    List.of("example.com"), keyType, keyBits, signature, "2026-01-01T00:00:00Z",
                    "2026-04-01T00:00:00Z", 60, expired, notYetValid, selfSigned, hostnameMatch, trusted, trusted,
                    trusted, trusted ? null : "unknown issuer", 2, List.of("CN=example.com", "CN=CA"), stapled,
                    chainComplete, chainInOrder, chainIssues, lifespan, mustStaple, false, List.of());
            HttpFinding http = new HttpFinding(200, null, hsts, hstsMaxAge, true, false, Map.of(), List.of(), null,
                    false, "h2", "redirects", null);
            List<VulnerabilityFinding> v = vulns.entrySet().stream().map(e -> new VulnerabilityFinding(e.getKey(),
                    e.getValue(), "")).toList();
            return new ScanReport("1", "example.com:443", "example.com", 443, "192.0.2.1", "example.com", "now", 1,
                    null, protocols, ciphers, new KeyExchangeFinding(List.of("X25519"), List.of("X25519"), dhBits),
                    List.of(cert), v, http, null, null);
        }
    }

    static Arguments rule(String name, String grade, String reason, Consumer<Report> change) {
        return Arguments.of(name, grade, reason, change);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                rule("baseline", "A+", null, r -> { }),
                rule("no HSTS", "A", "no HSTS header", r -> {
                    r.hsts = null;
                    r.hstsMaxAge = null;
                }),
                rule("HSTS under 180 days", "A", "HSTS max-age below 180 days", r -> {
                    r.hsts = "max-age=86400";
                    r.hstsMaxAge = 86400L;
                }),
                rule("TLS 1.0", "B", "TLS 1.0/1.1 offered", r -> r.add("TLS 1.0",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")),
                rule("TLS 1.1", "B", "TLS 1.0/1.1 offered", r -> r.add("TLS 1.1",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")),
                rule("no forward secrecy", "B", "no forward-secret suite", r -> {
                    r.suites.clear();
                    r.add("TLS 1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256");
                }),
                rule("no AEAD", "B", "no AEAD suite", r -> {
                    r.suites.clear();
                    r.add("TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
                }),
                rule("DH 1024", "B", "DH parameters of 1024 bits", r -> {
                    r.add("TLS 1.2", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
                    r.dhBits = 1024;
                }),
                rule("RSA key 1024", "B", "RSA key of 1024 bits", r -> {
                    r.keyType = "RSA";
                    r.keyBits = 1024;
                }),
                rule("RC4", "C", "RC4 suites offered", r -> r.add("TLS 1.2", "TLS_ECDHE_RSA_WITH_RC4_128_SHA")),
                rule("3DES", "C", "64-bit block ciphers", r -> r.add("TLS 1.2", "TLS_RSA_WITH_3DES_EDE_CBC_SHA")),
                rule("SSL 3.0", "C", "SSL 3.0 is offered", r -> r.add("SSL 3.0", "TLS_RSA_WITH_AES_128_CBC_SHA")),
                rule("no TLS 1.2", "C", "TLS 1.2 is not supported", r -> {
                    r.suites.clear();
                    r.add("TLS 1.0", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
                }),
                rule("compression", "C", "TLS compression", r -> r.vulns.put("compression", "vulnerable")),
                rule("no secure renegotiation", "A-", "no secure renegotiation", r -> r.vulns.put(
                        "secure_renegotiation", "vulnerable")),
                rule("insecure client renegotiation", "F", "insecure renegotiation", r -> {
                    r.vulns.put("secure_renegotiation", "vulnerable");
                    r.vulns.put("client_renegotiation", "vulnerable");
                }),
                rule("no TLS_FALLBACK_SCSV", "A-", "TLS_FALLBACK_SCSV", r -> r.vulns.put("fallback_scsv",
                        "vulnerable")),
                rule("EXPORT", "F", "EXPORT suites", r -> r.add("TLS 1.2", "TLS_RSA_EXPORT_WITH_RC4_40_MD5")),
                rule("NULL", "F", "NULL", r -> r.add("TLS 1.2", "TLS_RSA_WITH_NULL_SHA256")),
                rule("anonymous", "F", "anonymous", r -> r.add("TLS 1.2", "TLS_DH_anon_WITH_AES_128_GCM_SHA256")),
                rule("SSL 2.0", "F", "SSL 2.0 is offered", r -> r.add("SSL 2.0")),
                rule("DH 512", "F", "DH parameters of 512 bits", r -> {
                    r.add("TLS 1.2", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
                    r.dhBits = 512;
                }),
                rule("RSA key 512", "F", "RSA key of 512 bits", r -> {
                    r.keyType = "RSA";
                    r.keyBits = 512;
                }),
                rule("Heartbleed", "F", "Heartbleed", r -> r.vulns.put("heartbleed", "vulnerable")),
                rule("CCS injection", "F", "CCS injection", r -> r.vulns.put("ccs_injection", "vulnerable")),
                rule("ROBOT", "F", "ROBOT", r -> r.vulns.put("robot", "vulnerable")),
                rule("MD5 signature", "T", "MD5", r -> r.signature = "MD5withRSA"),
                rule("SHA-1 signature", "T", "SHA1withRSA", r -> r.signature = "SHA1withRSA"),
                rule("expired", "T", "expired", r -> r.expired = true),
                rule("not yet valid", "T", "not valid before", r -> r.notYetValid = true),
                rule("untrusted", "T", "not trusted", r -> r.trusted = false),
                rule("self-signed", "T", "self-signed", r -> {
                    r.trusted = false;
                    r.selfSigned = true;
                }),
                rule("incomplete chain", "T", "chain incomplete", r -> {
                    r.chainComplete = false;
                    r.chainIssues.add("incomplete: ...");
                }),
                rule("must-staple without staple", "T", "must-staple", r -> r.mustStaple = true),
                rule("expired beats Heartbleed", "T", "Heartbleed", r -> {
                    r.expired = true;
                    r.vulns.put("heartbleed", "vulnerable");
                }),
                rule("name mismatch", "M", "does not name example.com", r -> r.hostnameMatch = false),
                rule("chain out of order", "A", "chain issues", r -> {
                    r.chainInOrder = false;
                    r.chainIssues.add("out of order: ...");
                }),
                rule("extra chain certificate", "A", "chain issues", r -> r.chainIssues.add("extra certificate")),
                rule("lifespan over 398 days", "A", "lifespan of 400 days", r -> r.lifespan = 400));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rules")
    void eachRuleGivesItsGrade(String name, String grade, String reason, Consumer<Report> change) {
        Report r = new Report();
        change.accept(r);
        GradeResult g = Grader.grade(r.build());
        assertThat(g.grade()).as(name + ": " + g.caps()).isEqualTo(grade);
        if (reason == null) {
            assertThat(g.caps()).isEmpty();
        } else {
            assertThat(g.caps()).extracting(GradeCap::reason).anyMatch(x -> x.contains(reason));
            assertThat(g.caps()).allSatisfy(c -> assertThat(c.fix()).isNotBlank());
        }
    }
}
