package io.portcullis.certs;

/** The cert store cannot be built: a certificate or key file is unusable, the local CA is broken, a policy is bad. */
public final class CertStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public CertStoreException(String message) {
        super(message);
    }

    public CertStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
