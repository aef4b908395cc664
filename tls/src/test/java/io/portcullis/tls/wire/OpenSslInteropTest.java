package io.portcullis.tls.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import io.portcullis.tls.NamedGroup;
import io.portcullis.tls.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built hellos against a real {@code openssl s_server}: what it answers must parse. */
class OpenSslInteropTest {
    @TempDir
    Path dir;

    private static HandshakeReader send(Socket s, byte[] hello) throws IOException {
        s.setSoTimeout(5000);
        s.getOutputStream().write(hello);
        return new HandshakeReader(s.getInputStream());
    }

    @Test
    void tls12HandshakeYieldsServerHelloCertificateAndKeyExchange() throws Exception {
        try (OpenSslServer server = OpenSslServer.start(dir, "-tls1_2");
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            HandshakeReader r = send(s, new ClientHelloBuilder().serverName("localhost")
                    .cipherSuites(List.of(0xC02B, 0xC02F, ClientHelloBuilder.EMPTY_RENEGOTIATION_INFO_SCSV))
                    .build());
            ServerHello sh = ServerHelloParser.parse(r.next());
            assertThat(sh.version()).isEqualTo(ProtocolVersion.TLS_V1_2.wireCode());
            assertThat(sh.cipherSuite()).isEqualTo(0xC02B);
            assertThat(sh.secureRenegotiation()).isTrue();
            List<X509Certificate> chain = CertificateMessageParser.parse(r.next());
            assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
            HandshakeMessage ske = r.next();
            assertThat(ske.type()).isEqualTo(HandshakeMessage.SERVER_KEY_EXCHANGE);
            assertThat(ServerKeyExchangeParser.ecdheGroup(ske)).hasValue(NamedGroup.X25519.code());
        }
    }

    @Test
    void tls13WithoutKeySharesGetsHelloRetryRequest() throws Exception {
        try (OpenSslServer server = OpenSslServer.start(dir);
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            HandshakeReader r = send(s, new ClientHelloBuilder().version(ProtocolVersion.TLS_V1_3)
                    .keyShares(List.of()).cipherSuites(List.of(0x1302)).build());
            ServerHello sh = ServerHelloParser.parse(r.next());
            assertThat(sh.helloRetryRequest()).isTrue();
            assertThat(sh.cipherSuite()).isEqualTo(0x1302);
            assertThat(sh.selectedGroup()).isPresent();
        }
    }

    @Test
    void tls13WithX25519ShareNegotiatesAndGoesEncrypted() throws Exception {
        try (OpenSslServer server = OpenSslServer.start(dir);
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            HandshakeReader r = send(s, new ClientHelloBuilder().version(ProtocolVersion.TLS_V1_3)
                    .cipherSuites(List.of(0x1301, 0x1303)).build());
            ServerHello sh = ServerHelloParser.parse(r.next());
            assertThat(sh.helloRetryRequest()).isFalse();
            assertThat(sh.protocol()).contains(ProtocolVersion.TLS_V1_3);
            assertThat(sh.selectedGroup()).hasValue(NamedGroup.X25519.code());
            assertThat(r.next()).isNull(); // EncryptedExtensions onwards cannot be read in plaintext
        }
    }

    @Test
    void disabledVersionIsRefusedWithAnAlert() throws Exception {
        try (OpenSslServer server = OpenSslServer.start(dir, "-tls1_2");
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            HandshakeReader r = send(s, new ClientHelloBuilder().version(ProtocolVersion.TLS_V1_0)
                    .cipherSuites(List.of(0xC013, 0x002F)).build());
            try {
                r.next();
                throw new AssertionError("expected an alert");
            } catch (AlertException e) {
                assertThat(e.alert().description()).isEqualTo(Alert.PROTOCOL_VERSION);
            }
        }
    }
}
