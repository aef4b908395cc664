package io.portcullis.tls;

/** How a cipher suite agrees on keys. */
public enum KeyExchange {
    /** Static RSA key transport: no forward secrecy. */
    RSA(false, false),
    /** 512-bit export RSA (FREAK). */
    RSA_EXPORT(false, true),
    DHE(true, false),
    /** 512-bit export DHE (Logjam). */
    DHE_EXPORT(true, true),
    ECDHE(true, false),
    /** Anonymous Diffie-Hellman: ephemeral but unauthenticated. */
    DH_ANON(true, false),
    ECDH_ANON(true, false),
    /** TLS 1.3: the suite does not name the key exchange; it is always (EC)DHE, possibly hybrid post-quantum. */
    TLS13(true, false);

    private final boolean ephemeral;
    private final boolean export;

    KeyExchange(boolean ephemeral, boolean export) {
        this.ephemeral = ephemeral;
        this.export = export;
    }

    /** Ephemeral keys: a later leak of the server's private key does not decrypt recorded traffic. */
    public boolean forwardSecret() {
        return ephemeral;
    }

    /** Deliberately weakened 1990s export-grade key exchange. */
    public boolean export() {
        return export;
    }
}
