package io.portcullis.tls.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against published JA4 values: FoxIO's example (Chrome, {@code t13d1516h2_8daaf6152771_e5627efa2ab1}, whose raw
 * JA4_r lists the ciphers, extensions and signature algorithms used here) and a browserleaks.com capture of Chrome
 * 143 ({@code t13d1516h2_8daaf6152771_d8a2da3f94cd}, with ECH and X25519MLKEM768), both with GREASE added the way
 * Chrome sends it, which must not change the result.
 */
class Ja4Test {
    private static final int[] CHROME_CIPHERS = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
            0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    private static final int[] SIG_ALGS = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

    private static byte[] u16List(int lengthBytes, int... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int len = values.length * 2;
        if (lengthBytes == 2) {
            b.write(len >> 8);
        }
        b.write(len & 0xff);
        for (int v : values) {
            b.write(v >> 8);
            b.write(v & 0xff);
        }
        return b.toByteArray();
    }

    private static byte[] alpn(String... protocols) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String p : protocols) {
            byte[] v = p.getBytes(StandardCharsets.ISO_8859_1);
            list.write(v.length);
            list.writeBytes(v);
        }
        byte[] l = list.toByteArray();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(l.length >> 8);
        b.write(l.length & 0xff);
        b.writeBytes(l);
        return b.toByteArray();
    }

    private static ClientHello chrome(int... middleExtensions) {
        List<Integer> ciphers = new ArrayList<>();
        ciphers.add(0x5a5a); // GREASE
        for (int c : CHROME_CIPHERS) {
            ciphers.add(c);
        }
        Map<Integer, byte[]> ext = new LinkedHashMap<>();
        ext.put(0x9a9a, new byte[0]); // GREASE extension
        ext.put(0x0000, new byte[]{0, 12, 0, 0, 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'});
        ext.put(0x0010, alpn("h2", "http/1.1"));
        ext.put(0x000d, u16List(2, SIG_ALGS));
        ext.put(0x002b, u16List(1, 0x3a3a, 0x0304, 0x0303));
        for (int e : middleExtensions) {
            ext.putIfAbsent(e, new byte[0]);
        }
        ext.put(0xdada, new byte[]{0}); // second GREASE extension
        return new ClientHello(0x0303, new byte[32], new byte[32], ciphers, new byte[]{0}, ext);
    }

    @Test
    void foxIoChromeExample() {
        ClientHello hello = chrome(0x0005, 0x000a, 0x000b, 0x0012, 0x0015, 0x0017, 0x001b, 0x0023, 0x002d, 0x0033,
                0x4469, 0xff01);
        assertThat(Ja4.of(hello)).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
    }

    @Test
    void browserleaksChrome143Capture() {
        ClientHello hello = chrome(0x002d, 0x0033, 0xfe0d, 0x0017, 0x44cd, 0x000b, 0x000a, 0xff01, 0x0023, 0x0012,
                0x0005, 0x001b);
        assertThat(Ja4.of(hello)).isEqualTo("t13d1516h2_8daaf6152771_d8a2da3f94cd");
        assertThat(Ja4.of(hello, true)).startsWith("q13d1516h2_");
    }

    @Test
    void noSniNoAlpnNoSignatureAlgorithmsAndLegacyVersion() {
        Map<Integer, byte[]> ext = new LinkedHashMap<>();
        ext.put(0x000a, u16List(2, 0x001d));
        ClientHello hello = new ClientHello(0x0303, new byte[32], new byte[0], List.of(0xc02f, 0x1301),
                new byte[]{0}, ext);
        String ja4 = Ja4.of(hello);
        assertThat(ja4).startsWith("t12i020100_");
        // c is the hash of "000a" alone: no trailing underscore without signature algorithms.
        assertThat(ja4.substring(ja4.lastIndexOf('_') + 1)).isEqualTo(sha12("000a"));
        assertThat(ja4.split("_")[1]).isEqualTo(sha12("1301,c02f"));
    }

    @Test
    void emptyListsHashToZeros() {
        ClientHello hello = new ClientHello(0x0301, new byte[32], new byte[0], List.of(), new byte[]{0}, Map.of());
        assertThat(Ja4.of(hello)).isEqualTo("t10i000000_000000000000_000000000000");
    }

    @Test
    void nonAlphanumericAlpnUsesHexDigits() {
        Map<Integer, byte[]> ext = new LinkedHashMap<>();
        ext.put(0x0010, new byte[]{0, 3, 2, (byte) 0xab, (byte) 0xcd});
        ClientHello hello = new ClientHello(0x0303, new byte[32], new byte[0], List.of(0x1301), new byte[]{0}, ext);
        assertThat(Ja4.of(hello).substring(8, 10)).isEqualTo("ad");
    }

    @Test
    void greaseDetection() {
        assertThat(Ja4.isGrease(0x0a0a)).isTrue();
        assertThat(Ja4.isGrease(0xfafa)).isTrue();
        assertThat(Ja4.isGrease(0x0a1a)).isFalse();
        assertThat(Ja4.isGrease(0x1301)).isFalse();
    }

    @Test
    void fromRawRecordsNeedsTheWholeHello() {
        byte[] records = new ClientHelloBuilder().version(io.portcullis.tls.ProtocolVersion.TLS_V1_3)
                .serverName("example.com").cipherSuites(List.of(0x1301, 0x1302)).alpn(List.of("h2")).build();
        assertThat(Ja4.fromRecords(records)).matches("t1[23][di]\\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
        assertThat(Ja4.fromRecords(java.util.Arrays.copyOf(records, records.length - 1))).isNull();
        assertThat(Ja4.fromRecords("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    private static String sha12(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
            return java.util.HexFormat.of().formatHex(d, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
