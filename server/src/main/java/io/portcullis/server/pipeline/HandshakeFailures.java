package io.portcullis.server.pipeline;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;

/** Turns a handshake failure into the short reason a log reader needs (BoringSSL's reason string when there is one). */
final class HandshakeFailures {
    private HandshakeFailures() {
    }

    /**
     * A stable category for the audit log: {@code not_tls}, {@code protocol_version}, {@code no_shared_cipher},
     * {@code bad_client_cert}, {@code timeout}, {@code closed} or {@code other}.
     */
    static String kind(Throwable cause) {
        Throwable c = cause;
        if (c instanceof DecoderException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof NotSslRecordException) {
            return "not_tls";
        }
        if (c instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
            return "timeout";
        }
        if (c instanceof java.nio.channels.ClosedChannelException) {
            return "closed";
        }
        if (rejectedCertificate(c) != null) {
            return "bad_client_cert"; // our trust manager refused the client's certificate (tls.client_auth)
        }
        String m = String.valueOf(c.getMessage()).toUpperCase(java.util.Locale.ROOT);
        if (m.contains("UNSUPPORTED_PROTOCOL") || m.contains("PROTOCOL_VERSION") || m.contains("WRONG_VERSION")) {
            return "protocol_version";
        }
        // BoringSSL answers WRONG_CURVE when the only suites offered cannot be used with the server's key (an RSA
        // key exchange suite against an ECDSA certificate): for the operator that is still "nothing in common".
        if (m.contains("NO_SHARED_CIPHER") || m.contains("NO_CIPHERS") || m.contains("NO_SHARED_GROUP")
                || m.contains("WRONG_CURVE")) {
            return "no_shared_cipher";
        }
        if (m.contains("CERTIFICATE")) {
            return "bad_client_cert";
        }
        return "other";
    }

    private static CertificateException rejectedCertificate(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof CertificateException e) {
                return e;
            }
        }
        return null;
    }

    static String reason(Throwable cause) {
        Throwable c = cause;
        if (c instanceof DecoderException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof NotSslRecordException) {
            return "not a TLS connection";
        }
        CertificateException rejected = rejectedCertificate(c);
        if (rejected != null) {
            // BoringSSL only says "General OpenSslEngine problem"; the trust manager's words say why.
            return "client certificate rejected: " + rejected.getMessage();
        }
        if (c instanceof SSLHandshakeException && c.getMessage() != null) {
            return c.getMessage();
        }
        String message = c.getMessage();
        return message == null ? c.getClass().getSimpleName() : message;
    }
}
