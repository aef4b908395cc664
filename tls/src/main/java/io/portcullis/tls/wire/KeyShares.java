package io.portcullis.tls.wire;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.portcullis.tls.NamedGroup;

/**
 * Public key_share values for the groups the JDK can generate (X25519, P-256, P-384). A scanner never finishes a
 * handshake, so one key pair per group is made per JVM and reused: the private half is never needed.
 */
public final class KeyShares {
    private static final Map<NamedGroup, byte[]> CACHE = new ConcurrentHashMap<>();

    private KeyShares() {
    }

    /** Whether {@link #publicShare} can produce a share for this group. */
    public static boolean canGenerate(NamedGroup group) {
        return group == NamedGroup.X25519 || group == NamedGroup.SECP256R1 || group == NamedGroup.SECP384R1;
    }

    /** The wire encoding of a public key for {@code group}: 32 raw bytes for X25519, an uncompressed point for EC. */
    public static byte[] publicShare(NamedGroup group) {
        return CACHE.computeIfAbsent(group, KeyShares::generate).clone();
    }

    private static byte[] generate(NamedGroup group) {
        try {
            switch (group) {
                case X25519 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
                    g.initialize(new java.security.spec.NamedParameterSpec("X25519"));
                    byte[] spki = g.generateKeyPair().getPublic().getEncoded();
                    // The SubjectPublicKeyInfo of an X25519 key ends with the 32 raw key bytes (RFC 8410).
                    return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                }
                case SECP256R1, SECP384R1 -> {
                    int size = group == NamedGroup.SECP256R1 ? 32 : 48;
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec(group == NamedGroup.SECP256R1 ? "secp256r1" : "secp384r1"));
                    ECPublicKey pub = (ECPublicKey) g.generateKeyPair().getPublic();
                    byte[] out = new byte[1 + 2 * size];
                    out[0] = 4; // uncompressed point (RFC 8446 section 4.2.8.2)
                    copyFixed(pub.getW().getAffineX(), out, 1, size);
                    copyFixed(pub.getW().getAffineY(), out, 1 + size, size);
                    return out;
                }
                default -> throw new IllegalArgumentException("no key share generator for " + group
                        + " (expected: X25519, P-256 or P-384)");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot generate a " + group + " key: " + e.getMessage(), e);
        }
    }

    private static void copyFixed(BigInteger v, byte[] out, int offset, int size) {
        byte[] b = v.toByteArray(); // big-endian, maybe with a sign byte or shorter than size
        int n = Math.min(b.length, size);
        System.arraycopy(b, b.length - n, out, offset + size - n, n);
    }
}
