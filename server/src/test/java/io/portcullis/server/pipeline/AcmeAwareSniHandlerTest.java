package io.portcullis.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.portcullis.tls.ProtocolVersion;
import io.portcullis.tls.wire.ClientHelloBuilder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ALPN check that decides whether a ClientHello may get a TLS-ALPN-01 validation certificate. */
class AcmeAwareSniHandlerTest {
    @Test
    void findsAcmeTlsAmongTheOfferedProtocols() {
        assertThat(offers(List.of("acme-tls/1"))).isTrue();
        assertThat(offers(List.of("h2", "http/1.1", "acme-tls/1"))).isTrue();
    }

    @Test
    void ordinaryClientsAndMalformedHellosDoNot() {
        assertThat(offers(List.of("h2", "http/1.1"))).isFalse();
        assertThat(offers(List.of())).isFalse();
        assertThat(offers(List.of("acme-tls/10"))).isFalse();
        byte[] body = body(List.of("acme-tls/1"));
        assertThat(AcmeAwareSniHandler.offersAcmeTls(Unpooled.wrappedBuffer(Arrays.copyOf(body, body.length / 2))))
                .isFalse();
        assertThat(AcmeAwareSniHandler.offersAcmeTls(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}))).isFalse();
    }

    private static boolean offers(List<String> alpn) {
        return AcmeAwareSniHandler.offersAcmeTls(Unpooled.wrappedBuffer(body(alpn)));
    }

    /** The ClientHello body, as Netty's SNI handler passes it: without record and handshake headers. */
    private static byte[] body(List<String> alpn) {
        byte[] record = new ClientHelloBuilder().version(ProtocolVersion.TLS_V1_3).serverName("example.com")
                .cipherSuites(List.of(0x1301)).alpn(alpn).build();
        return Arrays.copyOfRange(record, 9, record.length);
    }
}
