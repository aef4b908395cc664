package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The raw TLS 1.3 client's key schedule and ticket parser against the RFC 8448 section 3 trace. */
class Tls13KeyScheduleTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void rfc8448SimpleHandshakeSecrets() {
        Tls13KeySchedule ks = new Tls13KeySchedule(0x1301);
        byte[] zeros = new byte[32];
        byte[] early = ks.extract(zeros, zeros);
        assertThat(HEX.formatHex(early)).isEqualTo("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
        byte[] derived = ks.deriveSecret(early, "derived", new byte[0]);
        assertThat(HEX.formatHex(derived)).isEqualTo(
                "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba");
        byte[] hs = ks.extract(derived, hex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d"));
        assertThat(HEX.formatHex(hs)).isEqualTo("1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac");
        byte[] chShHash = hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
        byte[] cHs = ks.expandLabel(hs, "c hs traffic", chShHash, 32);
        byte[] sHs = ks.expandLabel(hs, "s hs traffic", chShHash, 32);
        assertThat(HEX.formatHex(cHs)).isEqualTo("b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21");
        assertThat(HEX.formatHex(sHs)).isEqualTo("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
        assertThat(HEX.formatHex(ks.expandLabel(sHs, "key", new byte[0], 16)))
                .isEqualTo("3fce516009c21727d0f2e4e86ee403bc");
        assertThat(HEX.formatHex(ks.expandLabel(sHs, "iv", new byte[0], 12))).isEqualTo("5d313eb2671276ee13000b30");
        byte[] master = ks.extract(ks.deriveSecret(hs, "derived", new byte[0]), zeros);
        assertThat(HEX.formatHex(master)).isEqualTo(
                "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919");
    }

    @Test
    void sealedRecordOpensWithTheSameSecret() throws Exception {
        Tls13KeySchedule ks = new Tls13KeySchedule(0x1303);
        byte[] secret = new byte[32];
        byte[] record = ks.new Protection(secret).seal(new byte[] {20, 0, 0, 1, 7, 22});
        byte[] opened = ks.new Protection(secret).open(java.util.Arrays.copyOf(record, 5),
                java.util.Arrays.copyOfRange(record, 5, record.length));
        assertThat(opened).containsExactly(20, 0, 0, 1, 7, 22);
    }

    @Test
    void rfc8448NewSessionTicketAnnouncesEarlyData() {
        String ticket = "2c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf1b0070ad3c498883c9367c09a2be785ab"
                + "c55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827db279cce145077d454a3664d4e6da4d29ee03725a"
                + "6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228bda40dda721470f9fbf297b5aea617646fac5c03272e97072"
                + "7c621a79141ef5f7de6505e5bfbc388e93343694093934ae4d357";
        byte[] body = hex("0000001e" + "fad6aac5" + "020000" + "00b2" + ticket + "0008002a000400000400");
        assertThat(Tls13Client.earlyData(body)).isEqualTo(1024);
        byte[] without = hex("0000001e" + "fad6aac5" + "020000" + "00b2" + ticket + "0000");
        assertThat(Tls13Client.earlyData(without)).isZero();
    }
}
