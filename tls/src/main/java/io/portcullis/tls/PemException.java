package io.portcullis.tls;

import java.io.IOException;

/** A PEM file that cannot be used: missing, unparsable, empty, or a key that does not match its certificate. */
public final class PemException extends IOException {
    private static final long serialVersionUID = 1L;

    public PemException(String message) {
        super(message);
    }

    public PemException(String message, Throwable cause) {
        super(message, cause);
    }
}
