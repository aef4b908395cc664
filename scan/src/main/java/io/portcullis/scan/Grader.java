package io.portcullis.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.portcullis.scan.ScanReport.CertificateFinding;
import io.portcullis.scan.ScanReport.CipherFinding;
import io.portcullis.scan.ScanReport.GradeCap;
import io.portcullis.scan.ScanReport.GradeResult;
import io.portcullis.tls.BulkCipher;
import io.portcullis.tls.CipherSuite;
import io.portcullis.tls.KeyExchange;

/**
 * The SSL Labs rating, computed from a report's findings alone (so anyone can re-grade a saved JSON document).
 * Scores follow the SSL Labs "SSL Server Rating Guide" (2009 methodology): protocol 30%, key exchange 30%, cipher
 * 40%, each the mean of best and worst. Caps follow the guide's later revisions; each cap in {@link #caps} names
 * the revision or advisory it comes from. See {@code docs/scan-schema.md} for the table.
 */
public final class Grader {
    /** SSL Labs: A+ needs HSTS with a long max-age; 180 days is the threshold they use. */
    static final long HSTS_MIN_AGE = 15_552_000L;
    /** CA/Browser Forum ballot SC31: publicly trusted leaves issued since 2020-09-01 last at most 398 days. */
    static final long MAX_LIFESPAN_DAYS = 398;
    private static final String NGINX_PROTOCOLS = "nginx: ssl_protocols TLSv1.2 TLSv1.3; Portcullis: "
            + "tls.min_version: TLS1.2";
    private static final String NGINX_CIPHERS = "nginx: ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:"
            + "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305; Portcullis: "
            + "default tls.ciphers";

    private Grader() {
    }

    public static GradeResult grade(ScanReport r) {
        Set<String> protocols = r.protocols().stream().filter(ScanReport.ProtocolFinding::offered)
                .map(ScanReport.ProtocolFinding::protocol).collect(Collectors.toSet());
        List<CipherSuite> suites = r.ciphers().stream().flatMap(c -> c.suites().stream())
                .map(CipherFinding::name).map(CipherSuite::fromName).flatMap(Optional::stream).toList();
        int p = protocolScore(protocols);
        int k = keyExchangeScore(r, suites);
        int c = cipherScore(suites, protocols.contains("SSL 2.0"));
        int score = (int) Math.round(p * 0.3 + k * 0.3 + c * 0.4);
        List<GradeCap> caps = caps(r, protocols, suites);
        String letter = letter(score);
        for (GradeCap cap : caps) {
            if (rank(cap.cap()) < rank(letter)) {
                letter = cap.cap();
            }
        }
        boolean trust = caps.stream().anyMatch(x -> x.cap().equals("T"));
        boolean mismatch = caps.stream().anyMatch(x -> x.cap().equals("M"));
        if (letter.equals("A") && caps.stream().noneMatch(x -> rank(x.cap()) <= rank("A"))) {
            letter = "A+";
        }
        if (trust) {
            letter = "T";
        } else if (mismatch) {
            letter = "M";
        }
        return new GradeResult(letter, score, p, k, c, caps, MozillaProfile.verdict(r, protocols, suites));
    }

    /** Order for comparisons and {@code --fail-under}: A+ highest, T and M below every letter. */
    public static int rank(String grade) {
        return switch (grade) {
            case "A+" -> 9;
            case "A" -> 8;
            case "A-" -> 7;
            case "B" -> 6;
            case "C" -> 5;
            case "D" -> 4;
            case "E" -> 3;
            case "F" -> 2;
            case "M", "T" -> 1;
            default -> 0;
        };
    }

    static String letter(int score) {
        return score >= 80 ? "A" : score >= 65 ? "B" : score >= 50 ? "C" : score >= 35 ? "D" : score >= 20 ? "E" : "F";
    }

    static int protocolScore(Set<String> protocols) {
        List<Integer> s = protocols.stream().map(p -> switch (p) {
            case "SSL 2.0" -> 0;
            case "SSL 3.0" -> 80;
            case "TLS 1.0" -> 90;
            case "TLS 1.1" -> 95;
            default -> 100;
        }).toList();
        return s.isEmpty() ? 0 : (s.stream().mapToInt(i -> i).max().orElse(0) + s.stream().mapToInt(i -> i).min()
                .orElse(0)) / 2;
    }

    /** The weakest of: the certificate key, the DH prime, export or anonymous exchange (RSA-equivalent bits). */
    static int keyExchangeScore(ScanReport r, List<CipherSuite> suites) {
        if (suites.stream().anyMatch(s -> s.keyExchange() == KeyExchange.DH_ANON
                || s.keyExchange() == KeyExchange.ECDH_ANON)) {
            return 0;
        }
        if (suites.stream().anyMatch(s -> s.keyExchange().export())) {
            return 40;
        }
        int bits = Integer.MAX_VALUE;
        for (CertificateFinding c : r.certificates()) {
            bits = Math.min(bits, rsaEquivalent(c.keyType(), c.keyBits()));
        }
        if (r.keyExchange() != null && r.keyExchange().dhBits() != null) {
            bits = Math.min(bits, r.keyExchange().dhBits());
        }
        if (bits == Integer.MAX_VALUE) {
            return 90; // no certificate seen: assume a modern ECDHE key exchange rather than punish twice
        }
        return bits < 512 ? 20 : bits < 1024 ? 40 : bits < 2048 ? 80 : bits < 4096 ? 90 : 100;
    }

    static int rsaEquivalent(String keyType, int bits) {
        if (keyType.equals("ECDSA") || keyType.startsWith("Ed")) {
            return bits >= 512 ? 15360 : bits >= 384 ? 7680 : bits >= 256 ? 3072 : bits * 8;
        }
        return bits;
    }

    static int cipherScore(List<CipherSuite> suites, boolean sslv2) {
        if (suites.isEmpty()) {
            return sslv2 ? 20 : 0;
        }
        int best = suites.stream().mapToInt(Grader::cipherStrength).max().orElse(0);
        int worst = suites.stream().mapToInt(Grader::cipherStrength).min().orElse(0);
        return (best + worst) / 2;
    }

    private static int cipherStrength(CipherSuite s) {
        int bits = s.cipher() == BulkCipher.TRIPLE_DES_EDE_CBC ? 168 : s.cipher().keyBits(); // the guide counts 168
        return bits == 0 ? 0 : bits < 128 ? 20 : bits < 256 ? 80 : 100;
    }

    static List<GradeCap> caps(ScanReport r, Set<String> protocols, List<CipherSuite> suites) {
        List<GradeCap> caps = new ArrayList<>();
        if (protocols.contains("SSL 2.0")) {
            caps.add(new GradeCap("F", "SSL 2.0 is offered (DROWN; SSL Labs: SSL 2 caps at F)", NGINX_PROTOCOLS));
        }
        if (suites.stream().anyMatch(s -> s.keyExchange().export())) {
            caps.add(new GradeCap("F", "EXPORT suites offered (FREAK/Logjam; SSL Labs 2009j: F)", NGINX_CIPHERS));
        }
        if (suites.stream().anyMatch(s -> s.cipher() == BulkCipher.NULL)) {
            caps.add(new GradeCap("F", "NULL (unencrypted) suites offered (SSL Labs: F)", NGINX_CIPHERS));
        }
        if (suites.stream().anyMatch(s -> s.keyExchange() == KeyExchange.DH_ANON
                || s.keyExchange() == KeyExchange.ECDH_ANON)) {
            caps.add(new GradeCap("F", "anonymous (unauthenticated) suites offered (SSL Labs: F)", NGINX_CIPHERS));
        }
        Integer dh = r.keyExchange() == null ? null : r.keyExchange().dhBits();
        if (dh != null && dh < 1024) {
            caps.add(new GradeCap("F", "DH parameters of " + dh + " bits (Logjam; SSL Labs 2009j: F below 1024)",
                    "nginx: ssl_dhparam with 2048+ bits, or drop DHE suites"));
        } else if (dh != null && dh < 2048) {
            caps.add(new GradeCap("B", "DH parameters of " + dh + " bits (Logjam; SSL Labs 2009j: B below 2048)",
                    "nginx: ssl_dhparam with 2048+ bits, or drop DHE suites"));
        }
        if (vulnerable(r, "compression")) {
            caps.add(new GradeCap("C", "TLS compression enabled (CRIME; SSL Labs 2009f: C)",
                    "disable TLS compression (OpenSSL: SSL_OP_NO_COMPRESSION)"));
        }
        if (vulnerable(r, "heartbleed")) {
            caps.add(new GradeCap("F", "Heartbleed, CVE-2014-0160 (SSL Labs 2009e: F)",
                    "upgrade OpenSSL (1.0.1g or later), then replace the key and certificate"));
        }
        if (vulnerable(r, "ccs_injection")) {
            caps.add(new GradeCap("F", "CCS injection, CVE-2014-0224 (SSL Labs 2009e: F when exploitable)",
                    "upgrade OpenSSL (1.0.1h or later)"));
        }
        if (vulnerable(r, "robot")) {
            caps.add(new GradeCap("F", "ROBOT: Bleichenbacher oracle on RSA key exchange (SSL Labs, March 2018: F)",
                    "drop TLS_RSA_* suites (nginx: ssl_ciphers with ECDHE only) or patch the TLS stack"));
        }
        if (vulnerable(r, "secure_renegotiation") && vulnerable(r, "client_renegotiation")) {
            caps.add(new GradeCap("F", "insecure renegotiation: client renegotiation without RFC 5746 "
                    + "(SSL Labs 2009c: F)", "upgrade the TLS library; disable client-initiated renegotiation"));
        } else if (vulnerable(r, "secure_renegotiation")) {
            caps.add(new GradeCap("A-", "no secure renegotiation, RFC 5746 (SSL Labs, January 2014: warning, A-)",
                    "upgrade the TLS library"));
        }
        if (protocols.contains("SSL 3.0")) {
            caps.add(new GradeCap("C", "SSL 3.0 is offered (POODLE; SSL Labs 2009i: C)", NGINX_PROTOCOLS));
        }
        if (suites.stream().anyMatch(s -> s.cipher() == BulkCipher.RC4_128 || s.cipher() == BulkCipher.RC4_40)) {
            caps.add(new GradeCap("C", "RC4 suites offered (RFC 7465; SSL Labs 2009l: C)", NGINX_CIPHERS));
        }
        if (suites.stream().anyMatch(s -> s.cipher() == BulkCipher.TRIPLE_DES_EDE_CBC
                || s.cipher() == BulkCipher.DES_CBC || s.cipher() == BulkCipher.DES40_CBC)) {
            caps.add(new GradeCap("C", "64-bit block ciphers (3DES/DES) offered (SWEET32; SSL Labs, January 2017: C)",
                    NGINX_CIPHERS));
        }
        if (!protocols.isEmpty() && !protocols.contains("TLS 1.2") && !protocols.contains("TLS 1.3")) {
            caps.add(new GradeCap("C", "TLS 1.2 is not supported (SSL Labs, January 2017: C)", NGINX_PROTOCOLS));
        }
        if (protocols.contains("TLS 1.0") || protocols.contains("TLS 1.1")) {
            caps.add(new GradeCap("B", "TLS 1.0/1.1 offered (SSL Labs, January 2020: B)", NGINX_PROTOCOLS));
        }
        if (!suites.isEmpty() && suites.stream().noneMatch(CipherSuite::forwardSecrecy)) {
            caps.add(new GradeCap("B", "no forward-secret suite (SSL Labs, March 2018: B)",
                    "offer ECDHE suites first; " + NGINX_CIPHERS));
        }
        for (CertificateFinding c : r.certificates()) {
            if (c.keyType().equals("RSA") && c.keyBits() < 1024) {
                caps.add(new GradeCap("F", "RSA key of " + c.keyBits() + " bits (SSL Labs, January 2014: F below 1024)",
                        "use a 2048-bit RSA or P-256 key"));
            } else if (c.keyType().equals("RSA") && c.keyBits() < 2048) {
                caps.add(new GradeCap("B", "RSA key of " + c.keyBits() + " bits (SSL Labs, January 2014: B below 2048)",
                        "use a 2048-bit RSA or P-256 key"));
            }
        }
        if (!suites.isEmpty() && suites.stream().noneMatch(CipherSuite::aead)) {
            caps.add(new GradeCap("B", "no AEAD suite (SSL Labs, March 2018: B)", NGINX_CIPHERS));
        }
        if (vulnerable(r, "fallback_scsv")) {
            caps.add(new GradeCap("A-", "TLS_FALLBACK_SCSV not honoured: downgrade possible (SSL Labs 2009h: A-)",
                    "upgrade OpenSSL (1.0.1j or later supports RFC 7507)"));
        }
        certificateCaps(r, caps);
        ScanReport.HttpFinding http = r.http();
        if (http == null || http.hstsMaxAge() == null || http.hstsMaxAge() < HSTS_MIN_AGE) {
            caps.add(new GradeCap("A", http == null || http.hsts() == null
                    ? "no HSTS header: A+ needs HSTS (SSL Labs, January 2014)"
                    : "HSTS max-age below 180 days: A+ needs a long HSTS (SSL Labs, January 2014)",
                    "nginx: add_header Strict-Transport-Security \"max-age=63072000\" always; Portcullis: "
                            + "on by default for sites with a public certificate"));
        }
        return caps;
    }

    private static void certificateCaps(ScanReport r, List<GradeCap> caps) {
        for (CertificateFinding c : r.certificates()) {
            String which = c.fetchedWith();
            if (c.expired()) {
                caps.add(new GradeCap("T", which + " certificate expired " + c.notAfter(), "renew the certificate"));
            } else if (c.notYetValid()) {
                caps.add(new GradeCap("T", which + " certificate not valid before " + c.notBefore(),
                        "fix the issuing clock or wait; re-issue with a correct notBefore"));
            }
            if (!c.trusted()) {
                caps.add(new GradeCap("T", which + " certificate not trusted: " + (c.selfSigned() ? "self-signed"
                        : Objects.toString(c.trustError(), "unknown issuer")),
                        "use a certificate from a public CA (Portcullis: tls.acme) and serve the full chain"));
            }
            String sig = c.signatureAlgorithm().toUpperCase();
            if (sig.contains("MD5")) {
                caps.add(new GradeCap("F", which + " certificate signed with " + c.signatureAlgorithm()
                        + " (SSL Labs, January 2014: MD5 F)", "re-issue with SHA-256"));
            }
            if (sig.contains("SHA1") || sig.contains("MD5")) {
                caps.add(new GradeCap("T", which + " certificate signed with " + c.signatureAlgorithm()
                        + " (SSL Labs 2017: T)", "re-issue with SHA-256"));
            }
            if (!c.chainComplete()) {
                caps.add(new GradeCap("T", which + " chain incomplete: an intermediate is missing (clients without "
                        + "AIA fetching, e.g. curl, Java, Android, reject it)",
                        "serve the full chain: nginx ssl_certificate fullchain.pem; Portcullis: cert: fullchain.pem"));
            }
            if (!c.chainInOrder() || c.chainIssues().stream().anyMatch(i -> i.startsWith("extra"))) {
                caps.add(new GradeCap("A", which + " chain issues: " + String.join("; ", c.chainIssues().stream()
                        .filter(i -> !i.startsWith("incomplete")).toList()) + " (SSL Labs warning: no A+)",
                        "serve leaf, then its intermediates in order, nothing else (fullchain.pem as the CA issued it)"));
            }
            if (c.mustStaple() && !c.ocspStapled()) {
                caps.add(new GradeCap("T", which + " certificate demands OCSP stapling (must-staple) but no OCSP "
                        + "response is stapled: Firefox refuses the connection",
                        "nginx: ssl_stapling on; ssl_stapling_verify on; or re-issue without must-staple"));
            }
            if (c.lifespanDays() > MAX_LIFESPAN_DAYS) {
                caps.add(new GradeCap("A", which + " certificate lifespan of " + c.lifespanDays() + " days exceeds "
                        + MAX_LIFESPAN_DAYS + " (CA/B Forum; Safari and Chrome reject such public certificates)",
                        "re-issue with a validity of at most 398 days (ACME certificates last 90)"));
            }
            if (!c.hostnameMatch()) {
                caps.add(new GradeCap("M", which + " certificate does not name " + r.sni() + " (SANs: "
                        + String.join(", ", c.subjectAltNames()) + ")", "issue a certificate that covers " + r.sni()));
            }
        }
    }

    private static boolean vulnerable(ScanReport r, String id) {
        return r.vulnerabilities().stream().anyMatch(v -> v.id().equals(id) && v.status().equals("vulnerable"));
    }
}
