package io.portcullis.tls.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import io.portcullis.tls.NamedGroup;
import io.portcullis.tls.ProtocolVersion;
import org.junit.jupiter.api.Test;

class ClientHelloCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void bareTls10HelloMatchesGoldenBytes() {
        byte[] hello = new ClientHelloBuilder().version(ProtocolVersion.TLS_V1_0).random(new byte[32])
                .cipherSuites(List.of(0x002F)).extensions(false).build();
        assertThat(HEX.formatHex(hello)).isEqualTo("160301002d" + "01000029" + "0301" + "00".repeat(32) + "00"
                + "0002002f" + "0100");
    }

    @Test
    void sslv3HelloUsesSslv3RecordVersion() {
        byte[] hello = new ClientHelloBuilder().version(ProtocolVersion.SSL_V3).cipherSuites(List.of(0x000A))
                .build();
        assertThat(HEX.formatHex(hello, 0, 3)).isEqualTo("160300");
        assertThat(HEX.formatHex(hello, 9, 11)).isEqualTo("0300");
    }

    @Test
    void tls13HelloRoundTripsThroughTheParser() throws IOException {
        byte[] hello = new ClientHelloBuilder().version(ProtocolVersion.TLS_V1_3).serverName("example.com")
                .cipherSuites(List.of(0x1301, 0x1302, ClientHelloBuilder.FALLBACK_SCSV))
                .alpn(List.of("h2", "http/1.1")).compressionMethods(1, 0).build();
        ClientHello ch = ClientHelloParser.parse(new HandshakeReader(new ByteArrayInputStream(hello)).next());
        assertThat(ch.clientVersion()).isEqualTo(0x0303);
        assertThat(ch.cipherSuites()).containsExactly(0x1301, 0x1302, 0x5600);
        assertThat(ch.compressionMethods()).containsExactly(1, 0);
        assertThat(HEX.formatHex(ch.extensions().get(ExtensionType.SUPPORTED_VERSIONS))).isEqualTo("020304");
        byte[] sni = ch.extensions().get(ExtensionType.SERVER_NAME);
        assertThat(new String(sni, 5, sni.length - 5, StandardCharsets.US_ASCII)).isEqualTo("example.com");
        byte[] alpn = ch.extensions().get(ExtensionType.ALPN);
        assertThat(HEX.formatHex(alpn)).isEqualTo("000c02683208687474702f312e31");
        // key_share: X25519 (32 bytes) then P-256 (65-byte uncompressed point).
        byte[] ks = ch.extensions().get(ExtensionType.KEY_SHARE);
        assertThat(HEX.formatHex(ks, 0, 6)).isEqualTo("0069" + "001d" + "0020");
        assertThat(HEX.formatHex(ks, 38, 41)).isEqualTo("001700");
        assertThat(ks[42]).isEqualTo((byte) 4);
        assertThat(ch.extensions()).doesNotContainKey(ExtensionType.RENEGOTIATION_INFO);
    }

    @Test
    void ipLiteralsAreNotSentAsSni() throws IOException {
        byte[] hello = new ClientHelloBuilder().serverName("127.0.0.1").cipherSuites(List.of(0x002F)).build();
        ClientHello ch = ClientHelloParser.parse(new HandshakeReader(new ByteArrayInputStream(hello)).next());
        assertThat(ch.extensions()).doesNotContainKey(ExtensionType.SERVER_NAME)
                .containsKey(ExtensionType.RENEGOTIATION_INFO);
    }

    @Test
    void emptyKeyShareListForcesHelloRetry() throws IOException {
        byte[] hello = new ClientHelloBuilder().version(ProtocolVersion.TLS_V1_3).keyShares(List.of())
                .supportedGroups(List.of(NamedGroup.SECP384R1)).cipherSuites(List.of(0x1301)).build();
        ClientHello ch = ClientHelloParser.parse(new HandshakeReader(new ByteArrayInputStream(hello)).next());
        assertThat(HEX.formatHex(ch.extensions().get(ExtensionType.KEY_SHARE))).isEqualTo("0000");
        assertThat(HEX.formatHex(ch.extensions().get(ExtensionType.SUPPORTED_GROUPS))).isEqualTo("00020018");
    }

    @Test
    void sslv2HelloHasTwoByteHeaderAndSevenKinds() {
        byte[] hello = SslV2Hello.clientHello();
        assertThat(hello).hasSize(2 + 9 + 21 + 16);
        assertThat(HEX.formatHex(hello, 0, 11)).isEqualTo("802e" + "01" + "0002" + "0015" + "0000" + "0010");
    }

    @Test
    void sslv2ParserRejectsATlsAlert() {
        byte[] alert = HEX.parseHex("15030100020228");
        assertThatThrownBy(() -> SslV2Hello.readServerHello(new ByteArrayInputStream(alert)))
                .isInstanceOf(TlsDecodeException.class);
    }
}
