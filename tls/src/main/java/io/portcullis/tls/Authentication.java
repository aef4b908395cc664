package io.portcullis.tls;

/** How a cipher suite authenticates the server, i.e. which certificate key type it needs. */
public enum Authentication {
    RSA,
    ECDSA,
    DSS,
    /** Anonymous: no certificate, trivially open to a man in the middle. */
    NONE,
    /** TLS 1.3: the suite does not name it; the signature algorithm is negotiated separately (RSA, ECDSA, EdDSA). */
    TLS13
}
