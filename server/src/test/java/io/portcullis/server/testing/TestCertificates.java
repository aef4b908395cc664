package io.portcullis.server.testing;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import io.portcullis.certs.ocsp.MustStaple;
import io.portcullis.tls.PemFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed ECDSA certificate files with the properties a test needs (expiry, must-staple, an OCSP URL), written as
 * {@code <name>.pem} and {@code <name>.key} in a directory, for {@code tls.certificates} in a test config.
 */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** The paths written: certificate (leaf only) and key. */
    public record Files(Path cert, Path key, X509Certificate leaf) {
    }

    /**
     * @param expiresIn  time until notAfter (notBefore is 60 days ago)
     * @param mustStaple add the TLS Feature status_request extension
     * @param ocspUrl    the AIA OCSP responder URL, or null for none
     */
    public static Files write(Path dir, String name, String host, long serial, Duration expiresIn,
                              boolean mustStaple, String ocspUrl) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + host);
        var b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(serial),
                Date.from(now.minus(Duration.ofDays(60))), Date.from(now.plus(expiresIn)), subject, keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
        if (mustStaple) {
            b.addExtension(MustStaple.extension());
        }
        if (ocspUrl != null) {
            b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
        }
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        PemFiles.writeCertificates(cert, List.of(leaf));
        PemFiles.writePrivateKey(key, keys.getPrivate());
        return new Files(cert, key, leaf);
    }
}
