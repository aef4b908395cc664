package io.portcullis.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
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

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds the X.509 certificates of the local CA: self-signed root, intermediate, and TLS server leaves. */
final class CertificateMinter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateMinter() {
    }

    static KeyPair newP256KeyPair() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate P-256 keys", e);
        }
    }

    static X509Certificate selfSignedRoot(KeyPair keys, String commonName, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        X500Name name = name(commonName);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                Date.from(notAfter), name, keys.getPublic());
        JcaX509ExtensionUtils ext = extensionUtils();
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
        return sign(b, keys.getPrivate());
    }

    static X509Certificate intermediate(KeyPair keys, String commonName, X509Certificate issuer, PrivateKey issuerKey,
                                        Instant notBefore, Instant notAfter) throws GeneralSecurityException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subjectOf(issuer), serial(),
                Date.from(notBefore), Date.from(notAfter), name(commonName), keys.getPublic());
        JcaX509ExtensionUtils ext = extensionUtils();
        try {
            // pathLen 0: the intermediate may sign leaves only, never another CA.
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
        return sign(b, issuerKey);
    }

    static X509Certificate serverLeaf(java.security.PublicKey key, List<String> names, X509Certificate issuer,
                                      PrivateKey issuerKey, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a leaf certificate needs at least one name");
        }
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            sans.add(generalName(n));
        }
        String cn = names.get(0).length() <= 64 ? names.get(0) : "Portcullis local certificate";
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subjectOf(issuer), serial(),
                Date.from(notBefore), Date.from(notAfter), name(cn), key);
        JcaX509ExtensionUtils ext = extensionUtils();
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(new GeneralName[0])));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
        return sign(b, issuerKey);
    }

    /** An IP-address SAN for IP literals ({@code 127.0.0.1}, {@code ::1}, {@code [::1]}), a DNS SAN otherwise. */
    static GeneralName generalName(String name) {
        if (SubjectNames.isIpLiteral(name)) {
            return new GeneralName(GeneralName.iPAddress, new DEROctetString(SubjectNames.ipBytes(name)));
        }
        String n = SubjectNames.normalize(name);
        if (n.isEmpty() || n.contains(" ") || n.contains("/")) {
            throw new IllegalArgumentException("not a host name: '" + name + "'");
        }
        return new GeneralName(GeneralName.dNSName, n);
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Portcullis")
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    /** The issuer's subject exactly as encoded in its certificate, so chain building matches byte for byte. */
    private static X500Name subjectOf(X509Certificate issuer) {
        return X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    }

    private static BigInteger serial() {
        // 127 random bits: unpredictable, positive, within RFC 5280's 20 octets.
        return new BigInteger(127, RANDOM).setBit(0);
    }

    private static JcaX509ExtensionUtils extensionUtils() throws GeneralSecurityException {
        return new JcaX509ExtensionUtils();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)).getEncoded();
            return PemFiles.toJdk(der);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("signing a certificate failed", e);
        }
    }
}
