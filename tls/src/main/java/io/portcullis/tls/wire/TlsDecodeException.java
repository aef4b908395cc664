package io.portcullis.tls.wire;

/** The peer's bytes do not parse as the TLS structure we expected; the message says what was wrong. */
public class TlsDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsDecodeException(String message) {
        super(message);
    }
}
