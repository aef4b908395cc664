package io.portcullis.certs.ocsp;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.portcullis.certs.ServedCertificate;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Extension;

/**
 * OCSP must-staple: the TLS Feature extension (RFC 7633) listing {@code status_request} (5). A client that honours it
 * refuses a handshake without a stapled OCSP response, so such a certificate is only safe to serve when the stapler
 * can fetch responses for it, which needs an OCSP URL in its AIA.
 */
public final class MustStaple {
    /** id-pe-tlsfeature. */
    public static final ASN1ObjectIdentifier TLS_FEATURE = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24");
    /** The TLS extension number of status_request (RFC 6066). */
    private static final int STATUS_REQUEST = 5;

    private MustStaple() {
    }

    /** The non-critical extension asking for status_request, for a CSR's extension request. */
    public static Extension extension() {
        try {
            return new Extension(TLS_FEATURE, false,
                    new DERSequence(new ASN1Integer(STATUS_REQUEST)).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code cert} carries a TLS Feature extension that lists status_request. */
    public static boolean isRequired(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(TLS_FEATURE.getId());
        if (ext == null) {
            return false;
        }
        try {
            ASN1Sequence features = ASN1Sequence.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            for (var f : features) {
                if (ASN1Integer.getInstance(f).intValueExact() == STATUS_REQUEST) {
                    return true;
                }
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false; // malformed: clients cannot honour it either
        }
        return false;
    }

    /**
     * One line for every served must-staple certificate that names no OCSP responder: nothing can be stapled for it,
     * so clients that honour must-staple will refuse it.
     */
    public static List<String> unstapleable(List<ServedCertificate> served) {
        List<String> out = new ArrayList<>();
        for (ServedCertificate c : served) {
            if (isRequired(c.leaf()) && OcspFetcher.responderOf(c.leaf()).isEmpty()) {
                out.add(String.format("certificate for %s (serial %s, %s) is must-staple (TLS Feature status_request) "
                        + "but names no OCSP responder in its AIA: no OCSP response can be stapled, and clients that "
                        + "honour must-staple will refuse it; reissue it without must-staple or with an OCSP URL",
                        c.hosts(), c.leaf().getSerialNumber().toString(16), c.source().name().toLowerCase()));
            }
        }
        return out;
    }
}
