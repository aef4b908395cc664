package io.portcullis.tls;

/** The record encryption of a cipher suite. */
public enum BulkCipher {
    NULL(0, false),
    RC4_40(40, false),
    RC4_128(128, false),
    DES40_CBC(40, false),
    DES_CBC(56, false),
    /** 3DES: 112-bit effective strength and a 64-bit block (Sweet32). */
    TRIPLE_DES_EDE_CBC(112, false),
    AES_128_CBC(128, false),
    AES_256_CBC(256, false),
    AES_128_GCM(128, true),
    AES_256_GCM(256, true),
    AES_128_CCM(128, true),
    AES_128_CCM_8(128, true),
    AES_256_CCM(256, true),
    AES_256_CCM_8(256, true),
    CHACHA20_POLY1305(256, true);

    private final int keyBits;
    private final boolean aead;

    BulkCipher(int keyBits, boolean aead) {
        this.keyBits = keyBits;
        this.aead = aead;
    }

    /** Effective key strength in bits; 0 for NULL. */
    public int keyBits() {
        return keyBits;
    }

    /** Authenticated encryption: immune to the CBC padding-oracle family (Lucky13, POODLE-TLS). */
    public boolean aead() {
        return aead;
    }
}
