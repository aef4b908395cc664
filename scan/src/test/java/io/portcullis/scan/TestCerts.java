package io.portcullis.scan;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import io.portcullis.tls.PemFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA and leaves with any validity window, names and key type, written as PEM for openssl. */
final class TestCerts {
    final KeyPair caKey;
    final X509Certificate ca;

    TestCerts() throws Exception {
        caKey = ec();
        Instant now = Instant.now();
        ca = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=Scan Test CA"), BigInteger.ONE, Date.from(now.minusSeconds(3600)),
                Date.from(now.plusSeconds(86400 * 30)), new X500Name("CN=Scan Test CA"), caKey.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
    }

    /** Writes cert.pem (leaf), chain.pem (CA) and key.pem into {@code dir}; returns {@code dir}. */
    Path leaf(Path dir, String keyType, String dnsName, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair kp = keyType.equals("RSA") ? rsa() : ec();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=Scan Test CA"), BigInteger.valueOf(new SecureRandom().nextInt(1 << 30)),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + dnsName), kp.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        PemFiles.writeCertificates(dir.resolve("cert.pem"), List.of(cert));
        PemFiles.writeCertificates(dir.resolve("chain.pem"), List.of(ca));
        PemFiles.writePrivateKey(dir.resolve("key.pem"), (PrivateKey) kp.getPrivate());
        return dir;
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }
}
