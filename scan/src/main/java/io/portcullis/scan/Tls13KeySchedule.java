package io.portcullis.scan;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
/**
 * The RFC 8446 section 7 key schedule and record protection for the three TLS 1.3 AEAD suites, just enough for a
 * scanner to read the encrypted server flight (certificate chain) and the NewSessionTicket (0-RTT announcement).
 * Nothing here authenticates the server: a scanner reports on what it was shown.
 */
final class Tls13KeySchedule {
    private final int suite;
    private final String hmac;
    private final String digest;
    private final int hashLen;

    Tls13KeySchedule(int suite) {
        this.suite = suite;
        boolean sha384 = suite == 0x1302;
        this.hmac = sha384 ? "HmacSHA384" : "HmacSHA256";
        this.digest = sha384 ? "SHA-384" : "SHA-256";
        this.hashLen = sha384 ? 48 : 32;
        if (suite != 0x1301 && suite != 0x1302 && suite != 0x1303) {
            throw new IllegalArgumentException(String.format("suite 0x%04X (expected: 0x1301, 0x1302 or 0x1303)", suite));
        }
    }

    int hashLength() {
        return hashLen;
    }

    byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] extract(byte[] salt, byte[] ikm) {
        return mac(salt.length == 0 ? new byte[hashLen] : salt, ikm);
    }

    byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
        byte[] l = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = java.nio.ByteBuffer.allocate(4 + l.length + context.length).putShort((short) length)
                .put((byte) l.length).put(l).put((byte) context.length).put(context).array();
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            byte[] in = new byte[t.length + info.length + 1];
            System.arraycopy(t, 0, in, 0, t.length);
            System.arraycopy(info, 0, in, t.length, info.length);
            in[in.length - 1] = (byte) i;
            t = mac(secret, in);
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        return out;
    }

    byte[] deriveSecret(byte[] secret, String label, byte[] transcript) {
        return expandLabel(secret, label, hash(transcript), hashLen);
    }

    byte[] mac(byte[] key, byte[] data) {
        try {
            Mac m = Mac.getInstance(hmac);
            m.init(new SecretKeySpec(key, hmac));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One direction's record protection: key, IV and sequence number from a traffic secret. */
    final class Protection {
        private final byte[] key;
        private final byte[] iv;
        private long seq;

        Protection(byte[] trafficSecret) {
            this.key = expandLabel(trafficSecret, "key", new byte[0], suite == 0x1301 ? 16 : 32);
            this.iv = expandLabel(trafficSecret, "iv", new byte[0], 12);
        }

        /** Decrypts one application_data record body; {@code header} is the 5-byte record header (the AAD). */
        byte[] open(byte[] header, byte[] body) throws GeneralSecurityException {
            Cipher c = cipher(Cipher.DECRYPT_MODE);
            c.updateAAD(header);
            return c.doFinal(body);
        }

        /** Encrypts {@code inner} (content followed by its content type byte) into a complete record. */
        byte[] seal(byte[] inner) throws GeneralSecurityException {
            int len = inner.length + 16;
            byte[] header = {23, 3, 3, (byte) (len >> 8), (byte) len};
            Cipher c = cipher(Cipher.ENCRYPT_MODE);
            c.updateAAD(header);
            byte[] ct = c.doFinal(inner);
            byte[] out = new byte[5 + ct.length];
            System.arraycopy(header, 0, out, 0, 5);
            System.arraycopy(ct, 0, out, 5, ct.length);
            return out;
        }

        private Cipher cipher(int mode) throws GeneralSecurityException {
            byte[] nonce = iv.clone();
            long s = seq++;
            for (int i = 0; i < 8; i++) {
                nonce[11 - i] ^= (byte) (s >>> (8 * i));
            }
            Cipher c;
            if (suite == 0x1303) {
                c = Cipher.getInstance("ChaCha20-Poly1305");
                c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            } else {
                c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            }
            return c;
        }
    }
}
