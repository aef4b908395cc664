package io.portcullis.server.http3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.server.testing.H3Client;
import io.portcullis.server.testing.MetricsScrape;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.QuicClientSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * QUIC address validation with real clients: {@code auto} (the default) sends Retry only while handshakes pile up,
 * {@code always} to every new connection; either way an honest client (quiche, through Netty) follows the Retry
 * with the HMAC token and gets its answer.
 */
class Http3AddressValidationTest {
    private static final String SITES = """
            sites:
              - hosts: [localhost]
                routes: [{respond: "validated"}]
            """;

    @RegisterExtension
    static PortcullisExtension auto = PortcullisExtension.fromYaml(
            "quic: {address_validation: auto, retry_threshold: 1, idle_timeout: 2s}\n" + SITES);

    @RegisterExtension
    static PortcullisExtension always = PortcullisExtension.fromYaml(
            "quic: {address_validation: always}\n" + SITES);

    private static double metric(PortcullisExtension server, String name) throws Exception {
        return MetricsScrape.value(MetricsScrape.scrape(server), name);
    }

    private static void get(PortcullisExtension server) throws Exception {
        try (H3Client c = H3Client.connect(server.caFile(), "localhost", server.server().http3Port())) {
            assertThat(c.get("/").bodyText()).isEqualTo("validated");
        }
    }

    @Test
    void autoSendsRetryOnlyWhileHandshakesAreInFlight() throws Exception {
        double retries = metric(auto, "portcullis_quic_retries_total");
        get(auto);
        assertThat(metric(auto, "portcullis_quic_retries_total")).as("no load, no Retry").isEqualTo(retries);

        try (StalledHandshake stalled = StalledHandshake.start(auto)) {
            awaitMetric(auto, "portcullis_quic_handshakes_in_flight", 1);
            get(auto);
            assertThat(metric(auto, "portcullis_quic_retries_total")).as("under load: Retry, then served")
                    .isEqualTo(retries + 1);
        }
        // The stalled handshake times out (idle_timeout 2s) and the load is gone again.
        awaitMetric(auto, "portcullis_quic_handshakes_in_flight", 0);
        get(auto);
        assertThat(metric(auto, "portcullis_quic_retries_total")).isEqualTo(retries + 1);
    }

    @Test
    void alwaysSendsRetryToEveryNewConnection() throws Exception {
        double retries = metric(always, "portcullis_quic_retries_total");
        get(always);
        get(always);
        assertThat(metric(always, "portcullis_quic_retries_total")).isEqualTo(retries + 2);
    }

    private static void awaitMetric(PortcullisExtension server, String name, double value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (metric(server, name) != value && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(metric(server, name)).as(name).isEqualTo(value);
    }

    /**
     * A client that sends its ClientHello and then hears nothing (every datagram to it is dropped): to the server, a
     * handshake that stays in flight, as under a flood of Initials from spoofed addresses.
     */
    private static final class StalledHandshake implements AutoCloseable {
        private final QuicClientSocket socket;

        private StalledHandshake(PortcullisExtension server) throws Exception {
            QuicSslContext ssl = QuicSslContextBuilder.forClient().trustManager(server.caFile().toFile())
                    .applicationProtocols(Http3.supportedApplicationProtocols()).build();
            socket = new QuicClientSocket(ssl, "localhost", server.server().http3Port(),
                    b -> b.maxIdleTimeout(5, TimeUnit.SECONDS), new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg); // deaf: the handshake never completes
                        }
                    });
            socket.connection().handler(new ChannelInboundHandlerAdapter()).connect();
        }

        static StalledHandshake start(PortcullisExtension server) throws Exception {
            return new StalledHandshake(server);
        }

        @Override
        public void close() {
            socket.close(null);
        }
    }
}
