package io.portcullis.certs.ocsp;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Asks a certificate's OCSP responder (the URL in its Authority Information Access) for its status and checks the
 * answer before anyone staples it: successful, signed by the issuer or by a responder certificate the issuer signed
 * for OCSP signing, about this very certificate, and current.
 */
final class OcspFetcher {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** The OCSP URL of {@code cert}, when it names one. */
    static Optional<URI> responderOf(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return Optional.empty();
        }
        AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                ASN1OctetString.getInstance(ext).getOctets());
        for (AccessDescription d : aia.getAccessDescriptions()) {
            if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
                    && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                return Optional.of(URI.create(ASN1IA5String.getInstance(d.getAccessLocation().getName()).getString()));
            }
        }
        return Optional.empty();
    }

    Staple fetch(X509Certificate leaf, X509Certificate issuer, URI responder) throws IOException {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), leaf.getSerialNumber());
            byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(responder).timeout(TIMEOUT)
                    .header("Content-Type", "application/ocsp-request")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException(responder + " answered HTTP " + r.statusCode());
            }
            return check(r.body(), id, issuer, leaf.getSerialNumber());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (OCSPException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IOException("OCSP for serial " + leaf.getSerialNumber().toString(16) + ": " + e.getMessage(), e);
        }
    }

    static Staple check(byte[] der, CertificateID id, X509Certificate issuer, BigInteger serial)
            throws IOException, OCSPException, OperatorCreationException, java.security.cert.CertificateException {
        OCSPResp resp = new OCSPResp(der);
        if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new IOException("responder status " + resp.getStatus() + " (not successful)");
        }
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        if (!signedByIssuerOrDelegate(basic, issuer)) {
            throw new IOException("response not signed by the issuer or a responder it authorized");
        }
        for (SingleResp single : basic.getResponses()) {
            if (!single.getCertID().equals(id)) {
                continue;
            }
            Instant thisUpdate = single.getThisUpdate().toInstant();
            Instant nextUpdate = single.getNextUpdate() == null ? thisUpdate.plus(Staple.DEFAULT_VALIDITY)
                    : single.getNextUpdate().toInstant();
            if (!Instant.now().isBefore(nextUpdate)) {
                throw new IOException("response already expired at " + nextUpdate);
            }
            boolean good = single.getCertStatus() == CertificateStatus.GOOD;
            return new Staple(der, good, thisUpdate, nextUpdate);
        }
        throw new IOException("response does not cover serial " + serial.toString(16));
    }

    private static boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509Certificate issuer)
            throws OCSPException, OperatorCreationException, java.security.cert.CertificateException {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer.getPublicKey()))) {
            return true;
        }
        X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
        for (X509CertificateHolder responder : basic.getCerts()) {
            try {
                boolean authorized = responder.getIssuer().equals(issuerHolder.getSubject())
                        && responder.isSignatureValid(verifiers.build(issuerHolder))
                        && responder.getExtensions() != null
                        && org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions()) != null
                        && org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions())
                                .hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning);
                if (authorized && basic.isSignatureValid(verifiers.build(responder))) {
                    return true;
                }
            } catch (org.bouncycastle.cert.CertException e) {
                // not this one
            }
        }
        return false;
    }
}
