package io.portcullis.scan;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.portcullis.scan.ScanReport.CertificateFinding;

/** Turns a served chain into a finding: names, key, signature, validity, trust and host name verdicts. */
final class CertificateInspector {
    private final TrustStores trust;

    CertificateInspector(TrustStores trust) {
        this.trust = trust;
    }

    CertificateFinding inspect(String fetchedWith, List<X509Certificate> chain, String host, boolean stapled,
                               Instant now) {
        X509Certificate leaf = chain.get(0);
        PublicKey key = leaf.getPublicKey();
        TrustStores.Verdict v = trust.check(chain);
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        long daysLeft = Duration.between(now, notAfter).toDays();
        ChainAnalyzer.Result order = ChainAnalyzer.analyze(chain, trust.anchors());
        boolean selfSigned = leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
        return new CertificateFinding(fetchedWith, leaf.getSubjectX500Principal().getName(),
                leaf.getIssuerX500Principal().getName(), HostnameMatcher.subjectAltNames(leaf),
                keyType(key), keyBits(key), leaf.getSigAlgName(), notBefore.toString(), notAfter.toString(),
                daysLeft, now.isAfter(notAfter), now.isBefore(notBefore), selfSigned,
                HostnameMatcher.matches(leaf, host), v.any(), v.jdk(), v.system(), v.error(), chain.size(),
                chain.stream().map(c -> c.getSubjectX500Principal().getName()).toList(), stapled,
                order.complete(), order.inOrder(), order.issues(), Duration.between(notBefore, notAfter).toDays(),
                CertificateExtensions.mustStaple(leaf), CertificateExtensions.embeddedScts(leaf),
                CertificateExtensions.ocspUrls(leaf));
    }

    static String keyType(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "ECDSA";
            case "RSA", "RSASSA-PSS" -> "RSA";
            default -> key.getAlgorithm();
        };
    }

    static int keyBits(PublicKey key) {
        if (key instanceof RSAPublicKey r) {
            return r.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey e) {
            return e.getParams().getCurve().getField().getFieldSize();
        }
        return switch (key.getAlgorithm()) {
            case "Ed25519", "EdDSA" -> 256;
            case "Ed448" -> 448;
            default -> 0;
        };
    }
}
