package io.portcullis.certs.acme;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate a TLS-ALPN-01 validation is answered with (RFC 8737 3): the host as its only dNSName and
 * the critical {@code id-pe-acmeIdentifier} extension holding the SHA-256 of the key authorization. Built here with
 * the JDK's signature provider; acme4j's own helper wants BouncyCastle registered as a JCA provider, which Portcullis
 * never does (it would change what JSSE negotiates).
 */
final class TlsAlpnCertificate {
    /** id-pe-acmeIdentifier, RFC 8737 6.1. */
    static final ASN1ObjectIdentifier ACME_IDENTIFIER = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");

    private TlsAlpnCertificate() {
    }

    /** @param acmeValidation SHA-256 of the key authorization (acme4j's {@code getAcmeValidation()}) */
    static X509Certificate create(KeyPair keys, String host, byte[] acmeValidation) throws IOException {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=acme-tls-alpn-01"),
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(7))), new X500Name("CN=acme-tls-alpn-01"), keys.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
            b.addExtension(ACME_IDENTIFIER, true, new DEROctetString(acmeValidation));
            String alg = keys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(keys.getPrivate())));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IOException("cannot build the tls-alpn-01 certificate for " + host + ": " + e.getMessage(), e);
        }
    }
}
