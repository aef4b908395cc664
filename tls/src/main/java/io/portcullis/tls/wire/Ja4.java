package io.portcullis.tls.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The JA4 fingerprint of a ClientHello (FoxIO's JA4 specification, BSD-3-Clause): {@code a_b_c} where
 * <ul>
 *   <li>a = transport ({@code t} TCP, {@code q} QUIC), TLS version (the highest of supported_versions, else the
 *       hello's version: {@code 13}, {@code 12}, ...), {@code d} with SNI / {@code i} without, the number of cipher
 *       suites and of extensions (two digits each, at most 99), and the first and last character of the first ALPN
 *       value ({@code 00} without ALPN);</li>
 *   <li>b = the first 12 hex digits of SHA-256 over the sorted cipher suites ({@code 002f,0035,...});</li>
 *   <li>c = the same over the sorted extensions without SNI and ALPN, then {@code _} and the signature algorithms in
 *       the order sent.</li>
 * </ul>
 * GREASE values (RFC 8701) are ignored everywhere, so a client's random GREASE choices do not change its fingerprint.
 */
public final class Ja4 {
    private static final int SERVER_NAME = 0x0000;
    private static final int ALPN = 0x0010;
    private static final int SIGNATURE_ALGORITHMS = 0x000d;
    private static final int SUPPORTED_VERSIONS = 0x002b;
    private static final String EMPTY_HASH = "000000000000";

    private Ja4() {
    }

    /** JA4 of a hello received over TCP. */
    public static String of(ClientHello hello) {
        return of(hello, false);
    }

    /** @param quic true for a hello carried in QUIC (prefix {@code q}) */
    public static String of(ClientHello hello, boolean quic) {
        // Primitive arrays, sorted in place: this runs for every accepted connection, and sorting boxed lists was
        // about a third of its time in a profile of the handshake workload.
        int[] ciphers = new int[hello.cipherSuites().size()];
        int cipherCount = 0;
        for (int c : hello.cipherSuites()) {
            if (!isGrease(c)) {
                ciphers[cipherCount++] = c;
            }
        }
        int[] extensions = new int[hello.extensions().size()];
        int extensionCount = 0;
        int hashedCount = 0;
        for (int e : hello.extensions().keySet()) {
            if (!isGrease(e)) {
                extensionCount++;
                if (e != SERVER_NAME && e != ALPN) {
                    extensions[hashedCount++] = e;
                }
            }
        }
        StringBuilder out = new StringBuilder(36);
        out.append(quic ? 'q' : 't');
        out.append(version(hello));
        out.append(hello.extensions().containsKey(SERVER_NAME) ? 'd' : 'i');
        out.append(twoDigits(cipherCount)).append(twoDigits(extensionCount));
        out.append(alpn(hello.extensions().get(ALPN)));

        Arrays.sort(ciphers, 0, cipherCount);
        out.append('_');
        if (cipherCount == 0) {
            out.append(EMPTY_HASH);
        } else {
            hash12(hexList(ciphers, cipherCount), out);
        }

        Arrays.sort(extensions, 0, hashedCount);
        out.append('_');
        if (hashedCount == 0) {
            out.append(EMPTY_HASH);
        } else {
            StringBuilder cInput = hexList(extensions, hashedCount);
            int[] sigAlgs = signatureAlgorithms(hello.extensions().get(SIGNATURE_ALGORITHMS));
            if (sigAlgs.length > 0) {
                cInput.append('_').append(hexList(sigAlgs, sigAlgs.length));
            }
            hash12(cInput, out);
        }
        return out.toString();
    }

    /**
     * JA4 of the ClientHello at the start of raw TCP bytes (TLS records as received).
     *
     * @return the fingerprint; {@code null} when the bytes end before the ClientHello does (read more); empty when
     *         they are not a TLS ClientHello
     */
    public static String fromRecords(byte[] bytes) {
        try {
            HandshakeMessage m = new HandshakeReader(new java.io.ByteArrayInputStream(bytes)).next();
            if (m == null || m.type() != 1) {
                return "";
            }
            return of(ClientHelloParser.parse(m));
        } catch (java.io.EOFException e) {
            return null;
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** RFC 8701: 0x0a0a, 0x1a1a, ..., 0xfafa. */
    public static boolean isGrease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
    }

    private static String version(ClientHello hello) {
        int best = hello.clientVersion();
        byte[] sv = hello.extensions().get(SUPPORTED_VERSIONS);
        if (sv != null && sv.length >= 1) {
            int highest = -1;
            ByteReader r = new ByteReader(sv);
            ByteReader list = r.slice(r.u8("supported_versions length"), "supported_versions");
            while (list.remaining() >= 2) {
                int v = list.u16("version");
                if (!isGrease(v) && v > highest) {
                    highest = v;
                }
            }
            if (highest >= 0) {
                best = highest;
            }
        }
        return switch (best) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            case 0xfeff -> "d1";
            case 0xfefd -> "d2";
            case 0xfefc -> "d3";
            default -> "00";
        };
    }

    private static String alpn(byte[] body) {
        if (body == null || body.length < 3) {
            return "00";
        }
        ByteReader r = new ByteReader(body);
        ByteReader list = r.slice(r.u16("alpn length"), "alpn list");
        if (list.remaining() < 1) {
            return "00";
        }
        int len = list.u8("protocol length");
        if (len == 0 || list.remaining() < len) {
            return "00";
        }
        byte[] value = list.bytes(len, "protocol");
        char first = (char) (value[0] & 0xff);
        char last = (char) (value[len - 1] & 0xff);
        if (isAlnum(first) && isAlnum(last)) {
            return "" + first + last;
        }
        // Non-alphanumeric: the first and last hex digit of the value's hex form.
        String hex = HexFormat.of().formatHex(value);
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean isAlnum(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static int[] signatureAlgorithms(byte[] body) {
        if (body == null || body.length < 2) {
            return new int[0];
        }
        ByteReader r = new ByteReader(body);
        ByteReader list = r.slice(r.u16("signature_algorithms length"), "signature_algorithms");
        int[] out = new int[list.remaining() / 2];
        int n = 0;
        while (list.remaining() >= 2) {
            int v = list.u16("signature algorithm");
            if (!isGrease(v)) {
                out[n++] = v;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static String twoDigits(int n) {
        int v = Math.min(n, 99);
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    /** The first {@code count} values as 4-digit lowercase hex, comma-separated. */
    static StringBuilder hexList(int[] values, int count) {
        StringBuilder sb = new StringBuilder(count * 5);
        for (int i = 0; i < count; i++) {
            int v = values[i];
            if (i > 0) {
                sb.append(',');
            }
            sb.append(HEX_DIGITS[(v >> 12) & 0xf]).append(HEX_DIGITS[(v >> 8) & 0xf])
                    .append(HEX_DIGITS[(v >> 4) & 0xf]).append(HEX_DIGITS[v & 0xf]);
        }
        return sb;
    }

    /** Appends the first 12 hex digits of SHA-256 over {@code s} (ASCII) to {@code out}. */
    private static void hash12(CharSequence s, StringBuilder out) {
        byte[] ascii = new byte[s.length()];
        for (int i = 0; i < ascii.length; i++) {
            ascii[i] = (byte) s.charAt(i);
        }
        // One digest per thread: a provider look-up per hash was a measurable part of every accept (Ja4Bench).
        MessageDigest sha256 = SHA256.get();
        sha256.reset();
        HexFormat.of().formatHex(out, sha256.digest(ascii), 0, 6);
    }

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
