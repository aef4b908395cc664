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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import io.portcullis.tls.PemFiles;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway CA (and intermediate) and leaves with any validity window, names, key type and size, signature
 * algorithm and the extensions the certificate checks look for, written as PEM for openssl and nginx.
 */
final class TestCerts {
    /** The TLS Feature extension (RFC 7633); status_request(5) in it is "OCSP must-staple". */
    static final ASN1ObjectIdentifier TLS_FEATURE = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24");
    /** Embedded SCT list (RFC 6962 section 3.3). */
    static final ASN1ObjectIdentifier SCT_LIST = new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2");

    final KeyPair caKey;
    final X509Certificate ca;
    final KeyPair intermediateKey;
    final X509Certificate intermediate;

    TestCerts() throws Exception {
        caKey = ec();
        Instant now = Instant.now();
        ca = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=Scan Test CA"), BigInteger.ONE, Date.from(now.minusSeconds(3600)),
                Date.from(now.plusSeconds(86400 * 30)), new X500Name("CN=Scan Test CA"), caKey.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        intermediateKey = ec();
        intermediate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=Scan Test CA"), BigInteger.TWO, Date.from(now.minusSeconds(3600)),
                Date.from(now.plusSeconds(86400 * 30)), new X500Name("CN=Scan Test Intermediate"),
                intermediateKey.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
    }

    /** Writes cert.pem (leaf), chain.pem (CA) and key.pem into {@code dir}; returns {@code dir}. */
    Path leaf(Path dir, String keyType, String dnsName, Instant notBefore, Instant notAfter) throws Exception {
        return write(dir, new Spec(keyType, dnsName, notBefore, notAfter));
    }

    /** What one leaf looks like; the defaults are a healthy EC leaf for {@code localhost} issued by the root. */
    static final class Spec {
        String keyType;
        int rsaBits = 2048;
        String dnsName;
        String commonName;
        Instant notBefore;
        Instant notAfter;
        String signature = "SHA256withECDSA";
        boolean viaIntermediate;
        boolean serveIntermediate = true;
        boolean mustStaple;
        boolean sct;
        /** OCSP responder URL put in the AIA extension; null leaves AIA out. */
        String ocspUrl;
        /** When set, chain.pem holds exactly these (after the leaf), in this order: crafted broken chains. */
        List<X509Certificate> served;

        Spec(String keyType, String dnsName, Instant notBefore, Instant notAfter) {
            this.keyType = keyType;
            this.dnsName = dnsName;
            this.commonName = dnsName;
            this.notBefore = notBefore;
            this.notAfter = notAfter;
        }
    }

    /** Writes cert.pem, chain.pem (intermediate when served, else the root) and key.pem; returns {@code dir}. */
    Path write(Path dir, Spec spec) throws Exception {
        KeyPair kp = spec.keyType.equals("RSA") ? rsa(spec.rsaBits) : ec();
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, spec.commonName);
        X500Name issuerName = new X500Name(spec.viaIntermediate ? "CN=Scan Test Intermediate" : "CN=Scan Test CA");
        PrivateKey issuerKey = spec.viaIntermediate ? intermediateKey.getPrivate() : caKey.getPrivate();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                BigInteger.valueOf(new SecureRandom().nextInt(1 << 30)), Date.from(spec.notBefore),
                Date.from(spec.notAfter), subject.build(), kp.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, spec.dnsName)));
        if (spec.mustStaple) {
            b.addExtension(TLS_FEATURE, false, new DERSequence(new ASN1Integer(5)));
        }
        if (spec.sct) {
            // Contents are not verified by the scanner (no CT log keys); presence is what is reported.
            b.addExtension(SCT_LIST, false, new DEROctetString(new byte[] {0, 0}));
        }
        if (spec.ocspUrl != null) {
            b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, spec.ocspUrl)));
        }
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(spec.signature).build(issuerKey)));
        PemFiles.writeCertificates(dir.resolve("cert.pem"), List.of(cert));
        List<X509Certificate> chain = new ArrayList<>();
        if (spec.served != null) {
            chain.addAll(spec.served);
        } else if (spec.viaIntermediate && spec.serveIntermediate) {
            chain.add(intermediate);
        } else if (!spec.viaIntermediate) {
            chain.add(ca);
        }
        java.nio.file.Files.deleteIfExists(dir.resolve("chain.pem"));
        if (!chain.isEmpty()) { // no chain.pem at all: OpenSslServer then serves the leaf alone
            PemFiles.writeCertificates(dir.resolve("chain.pem"), chain);
        }
        PemFiles.writePrivateKey(dir.resolve("key.pem"), (PrivateKey) kp.getPrivate());
        return dir;
    }

    /**
     * A DER OCSP response saying "good" for the leaf in {@code dir}/cert.pem, signed by the root that issued it, for
     * {@code openssl s_server -status_file}.
     */
    Path ocspResponse(Path dir) throws Exception {
        X509Certificate leaf;
        try (var in = java.nio.file.Files.newInputStream(dir.resolve("cert.pem"))) {
            leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
        var digest = new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build()
                .get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1);
        var id = new org.bouncycastle.cert.ocsp.CertificateID(digest,
                new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(ca), leaf.getSerialNumber());
        var basic = new org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder(caKey.getPublic(), digest)
                .addResponse(id, org.bouncycastle.cert.ocsp.CertificateStatus.GOOD, new Date(),
                        Date.from(Instant.now().plusSeconds(86400)))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate()), null, new Date());
        byte[] der = new org.bouncycastle.cert.ocsp.OCSPRespBuilder()
                .build(org.bouncycastle.cert.ocsp.OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        Path out = dir.resolve("ocsp.der");
        java.nio.file.Files.write(out, der);
        return out;
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static KeyPair rsa() throws Exception {
        return rsa(2048);
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }
}
