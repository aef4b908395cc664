package io.portcullis.server.pipeline;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import javax.net.ssl.SSLHandshakeException;

/** Turns a handshake failure into the short reason a log reader needs (BoringSSL's reason string when there is one). */
final class HandshakeFailures {
    private HandshakeFailures() {
    }

    static String reason(Throwable cause) {
        Throwable c = cause;
        if (c instanceof DecoderException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof NotSslRecordException) {
            return "not a TLS connection";
        }
        if (c instanceof SSLHandshakeException && c.getMessage() != null) {
            return c.getMessage();
        }
        String message = c.getMessage();
        return message == null ? c.getClass().getSimpleName() : message;
    }
}
