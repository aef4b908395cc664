package io.portcullis.tls.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class ServerHelloCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A TLS 1.3 HelloRetryRequest choosing TLS_AES_128_GCM_SHA256 and asking for a P-384 share. */
    private static final String HRR_BODY = "0303" + "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
            + "00" + "1301" + "00" + "000c" + "002b00020304" + "003300020018";

    @Test
    void helloRetryRequestIsDetected() {
        ServerHello sh = ServerHelloParser.parse(HEX.parseHex(HRR_BODY));
        assertThat(sh.helloRetryRequest()).isTrue();
        assertThat(sh.version()).isEqualTo(0x0304);
        assertThat(sh.legacyVersion()).isEqualTo(0x0303);
        assertThat(sh.cipherSuite()).isEqualTo(0x1301);
        assertThat(sh.selectedGroup()).hasValue(24);
    }

    @Test
    void sslv3HelloWithoutExtensionsBlockParses() {
        String body = "0300" + "11".repeat(32) + "00" + "000a" + "00";
        ServerHello sh = ServerHelloParser.parse(HEX.parseHex(body));
        assertThat(sh.version()).isEqualTo(0x0300);
        assertThat(sh.extensions()).isEmpty();
        assertThat(sh.helloRetryRequest()).isFalse();
    }

    @Test
    void messagesSpanningRecordsAreReassembled() throws Exception {
        String hs = "02" + "00002d" + "0303" + "22".repeat(32) + "00" + "c02f" + "00" + "0005" + "ff01000100";
        // ServerHello split over two records, then ServerHelloDone in the second record too.
        String rec1 = "160303" + "0010" + hs.substring(0, 32);
        String rest = hs.substring(32) + "0e000000";
        String rec2 = "160303" + String.format("%04x", rest.length() / 2) + rest;
        HandshakeReader r = new HandshakeReader(new ByteArrayInputStream(HEX.parseHex(rec1 + rec2)));
        ServerHello sh = ServerHelloParser.parse(r.next());
        assertThat(sh.cipherSuite()).isEqualTo(0xC02F);
        assertThat(sh.secureRenegotiation()).isTrue();
        assertThat(r.next().type()).isEqualTo(HandshakeMessage.SERVER_HELLO_DONE);
        assertThatThrownBy(r::next).isInstanceOf(EOFException.class);
    }

    @Test
    void alertsSurfaceAsAlertException() {
        HandshakeReader r = new HandshakeReader(new ByteArrayInputStream(HEX.parseHex("15030300020246")));
        assertThatThrownBy(r::next).isInstanceOfSatisfying(AlertException.class,
                e -> assertThat(e.alert().name()).isEqualTo("protocol_version"));
    }

    @Test
    void sshBannerIsNotTls() {
        HandshakeReader r = new HandshakeReader(new ByteArrayInputStream("SSH-2.0-OpenSSH_9.2\r\n".getBytes()));
        assertThatThrownBy(r::next).isInstanceOfSatisfying(NotTlsException.class,
                e -> assertThat(e.preview()).isEqualTo("SSH-2.0-OpenSSH_9.2"));
    }

    @Test
    void dhPrimeBitsIgnoreLeadingZeros() {
        HandshakeMessage ske = new HandshakeMessage(12, HEX.parseHex("0003" + "00ffff" + "000102"));
        assertThat(ServerKeyExchangeParser.dhPrimeBits(ske)).isEqualTo(16);
        assertThat(ServerKeyExchangeParser.ecdheGroup(new HandshakeMessage(12, HEX.parseHex("03001d20"))))
                .hasValue(29);
    }
}
