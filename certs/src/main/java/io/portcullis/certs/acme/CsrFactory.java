package io.portcullis.certs.acme;

import java.io.IOException;
import java.security.KeyPair;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.List;

import io.portcullis.certs.ocsp.MustStaple;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The CSR of an order, built here rather than by acme4j's {@code CSRBuilder} because that one cannot request extra
 * extensions, and must-staple is one (the TLS Feature extension, which the CA copies into the certificate).
 */
final class CsrFactory {
    /** Longest common name X.509 allows (ub-common-name); longer first names go in the SAN only. */
    private static final int MAX_CN = 64;

    private CsrFactory() {
    }

    /** DER of a CSR for {@code names} signed with {@code keys}, asking for must-staple when {@code mustStaple}. */
    static byte[] create(List<String> names, KeyPair keys, boolean mustStaple) throws IOException {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        if (names.get(0).length() <= MAX_CN) {
            subject.addRDN(BCStyle.CN, names.get(0));
        }
        List<GeneralName> sans = new ArrayList<>();
        for (String n : names) {
            sans.add(new GeneralName(GeneralName.dNSName, n));
        }
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(sans.toArray(GeneralName[]::new)));
        if (mustStaple) {
            ext.addExtension(MustStaple.extension());
        }
        String algorithm = keys.getPublic() instanceof ECKey ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject.build(), keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                    .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()))
                    .getEncoded();
        } catch (OperatorCreationException e) {
            throw new IOException("cannot sign the CSR: " + e.getMessage(), e);
        }
    }
}
