package io.portcullis.certs;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.PKIXReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies client certificates against one site's CA bundle (and nothing else) with the JDK's PKIX checks, including
 * the clientAuth key usage. With BoringSSL it also chooses the alert: Netty reports any failure it does not
 * recognise as "unspecified", which BoringSSL sends as internal_error; a certificate from an unknown issuer should
 * get unknown_ca and any other rejected one bad_certificate, so clients and their operators see what went wrong.
 */
final class ClientCaTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final boolean openSsl;

    private ClientCaTrustManager(X509ExtendedTrustManager pkix, boolean openSsl) {
        this.pkix = pkix;
        this.openSsl = openSsl;
    }

    static TrustManager forCas(List<X509Certificate> cas, boolean openSsl) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < cas.size(); i++) {
            ks.setCertificateEntry("ca" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new ClientCaTrustManager(x, openSsl);
            }
        }
        throw new GeneralSecurityException("no X509 trust manager in " + tmf.getAlgorithm());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(() -> pkix.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(() -> pkix.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(() -> pkix.checkClientTrusted(chain, authType));
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private void verify(Check check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            throw alerting(e);
        }
    }

    private CertificateException alerting(CertificateException e) {
        if (!openSsl || e instanceof CertificateExpiredException || e instanceof CertificateNotYetValidException
                || hasReason(e, BasicReason.EXPIRED) || hasReason(e, BasicReason.NOT_YET_VALID)
                || hasReason(e, BasicReason.REVOKED)) {
            return e; // Netty maps these itself (certificate_expired, certificate_revoked)
        }
        // The JDK's PKIX builder reports an unknown issuer as "unable to find valid certification path".
        boolean unknownIssuer = hasReason(e, PKIXReason.NO_TRUST_ANCHOR)
                || String.valueOf(e.getMessage()).contains("certification path");
        OpenSslCertificateException out = new OpenSslCertificateException(e.getMessage(), unknownIssuer
                ? CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
                : CertificateVerifier.X509_V_ERR_CERT_REJECTED);
        out.initCause(e);
        return out;
    }

    private static boolean hasReason(Throwable e, CertPathValidatorException.Reason reason) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof CertPathValidatorException v && v.getReason() == reason) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a server-side trust manager for client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a server-side trust manager for client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server-side trust manager for client certificates only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers(); // sent as certificate_authorities, so clients pick a matching certificate
    }
}
