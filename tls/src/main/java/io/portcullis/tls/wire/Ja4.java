package io.portcullis.tls.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

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
        List<Integer> ciphers = new ArrayList<>();
        for (int c : hello.cipherSuites()) {
            if (!isGrease(c)) {
                ciphers.add(c);
            }
        }
        List<Integer> extensions = new ArrayList<>();
        for (int e : hello.extensions().keySet()) {
            if (!isGrease(e)) {
                extensions.add(e);
            }
        }
        StringBuilder a = new StringBuilder(10);
        a.append(quic ? 'q' : 't');
        a.append(version(hello));
        a.append(hello.extensions().containsKey(SERVER_NAME) ? 'd' : 'i');
        a.append(twoDigits(ciphers.size())).append(twoDigits(extensions.size()));
        a.append(alpn(hello.extensions().get(ALPN)));

        List<Integer> sortedCiphers = new ArrayList<>(ciphers);
        sortedCiphers.sort(null);
        String b = sortedCiphers.isEmpty() ? EMPTY_HASH : hash12(hexList(sortedCiphers));

        List<Integer> sortedExtensions = new ArrayList<>();
        for (int e : extensions) {
            if (e != SERVER_NAME && e != ALPN) {
                sortedExtensions.add(e);
            }
        }
        sortedExtensions.sort(null);
        List<Integer> sigAlgs = signatureAlgorithms(hello.extensions().get(SIGNATURE_ALGORITHMS));
        String cInput = hexList(sortedExtensions) + (sigAlgs.isEmpty() ? "" : "_" + hexList(sigAlgs));
        String c = sortedExtensions.isEmpty() ? EMPTY_HASH : hash12(cInput);
        return a + "_" + b + "_" + c;
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

    private static List<Integer> signatureAlgorithms(byte[] body) {
        List<Integer> out = new ArrayList<>();
        if (body == null || body.length < 2) {
            return out;
        }
        ByteReader r = new ByteReader(body);
        ByteReader list = r.slice(r.u16("signature_algorithms length"), "signature_algorithms");
        while (list.remaining() >= 2) {
            int v = list.u16("signature algorithm");
            if (!isGrease(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static String twoDigits(int n) {
        int v = Math.min(n, 99);
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    static String hexList(List<Integer> values) {
        StringBuilder sb = new StringBuilder(values.size() * 5);
        for (int v : values) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(HEX_DIGITS[(v >> 12) & 0xf]).append(HEX_DIGITS[(v >> 8) & 0xf])
                    .append(HEX_DIGITS[(v >> 4) & 0xf]).append(HEX_DIGITS[v & 0xf]);
        }
        return sb.toString();
    }

    private static String hash12(String s) {
        // One digest per thread: a provider look-up per hash was a measurable part of every accept (Ja4Bench).
        MessageDigest sha256 = SHA256.get();
        sha256.reset();
        byte[] d = sha256.digest(s.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(d, 0, 6);
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
