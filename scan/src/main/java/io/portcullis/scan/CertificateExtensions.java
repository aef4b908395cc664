package io.portcullis.scan;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** The leaf extensions the audit reports: OCSP must-staple (RFC 7633), embedded SCTs (RFC 6962), AIA URLs. */
final class CertificateExtensions {
    static final String TLS_FEATURE = "1.3.6.1.5.5.7.1.24";
    static final String SCT_LIST = "1.3.6.1.4.1.11129.2.4.2";
    /** status_request in a TLS Feature extension: the certificate demands a stapled OCSP response. */
    private static final int STATUS_REQUEST = 5;

    private CertificateExtensions() {
    }

    static boolean mustStaple(X509Certificate c) {
        ASN1Primitive v = value(c, TLS_FEATURE);
        if (v == null) {
            return false;
        }
        for (ASN1Encodable e : ASN1Sequence.getInstance(v)) {
            if (e instanceof ASN1Integer i && i.intValueExact() == STATUS_REQUEST) {
                return true;
            }
        }
        return false;
    }

    /** Presence only: verifying SCT signatures needs the CT log list, which a scanner cannot keep current. */
    static boolean embeddedScts(X509Certificate c) {
        return c.getExtensionValue(SCT_LIST) != null;
    }

    static List<String> ocspUrls(X509Certificate c) {
        ASN1Primitive v = value(c, Extension.authorityInfoAccess.getId());
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (AccessDescription d : AuthorityInformationAccess.getInstance(v).getAccessDescriptions()) {
                if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
                        && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                    out.add(d.getAccessLocation().getName().toString());
                }
            }
        }
        return out;
    }

    private static ASN1Primitive value(X509Certificate c, String oid) {
        byte[] raw = c.getExtensionValue(oid);
        if (raw == null) {
            return null;
        }
        try {
            return JcaX509ExtensionUtils.parseExtensionValue(raw);
        } catch (IOException | RuntimeException e) {
            return null; // a malformed extension is reported as absent rather than failing the whole certificate
        }
    }
}
