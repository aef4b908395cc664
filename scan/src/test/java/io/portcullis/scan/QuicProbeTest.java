package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.portcullis.scan.ScanReport.QuicFinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UDP probe against a real QUIC server (Netty's quiche codec), a closed port, and wired into a full scan. */
class QuicProbeTest {
    private static final Instant NOW = Instant.now();
    private static TestCerts certs;
    private static EventLoopGroup group;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        certs = new TestCerts();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A QUIC server with an h3 ALPN on 127.0.0.1:{@code port} (0: any); it accepts and ignores streams. */
    private Channel quicServer(int port) throws Exception {
        certs.leaf(dir, "EC", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400));
        QuicSslContext ssl = QuicSslContextBuilder.forServer(dir.resolve("key.pem").toFile(), null,
                dir.resolve("cert.pem").toFile()).applicationProtocols("h3").build();
        ChannelHandler codec = new QuicServerCodecBuilder().sslContext(ssl)
                .maxIdleTimeout(5, TimeUnit.SECONDS).initialMaxData(1 << 20)
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(new ChannelInboundHandlerAdapter())
                .streamHandler(new ChannelInboundHandlerAdapter()).build();
        return new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    @Test
    void quicServerAnswersWithVersionNegotiation() throws Exception {
        Channel server = quicServer(0);
        try {
            InetSocketAddress addr = (InetSocketAddress) server.localAddress();
            QuicFinding f = QuicProbe.probe(addr, Duration.ofSeconds(2), "test");
            assertThat(f.answers()).as(f.detail()).isTrue();
            assertThat(f.versions()).contains("QUICv1");
            assertThat(f.port()).isEqualTo(addr.getPort());
        } finally {
            server.close().sync();
        }
    }

    @Test
    void everyProbeIsAnsweredNotJustALuckyOne() throws Exception {
        Channel server = quicServer(0);
        try {
            for (int i = 0; i < 20; i++) {
                QuicFinding f = QuicProbe.probe((InetSocketAddress) server.localAddress(), Duration.ofSeconds(1), "");
                assertThat(f.answers()).as("probe " + i + ": " + f.detail()).isTrue();
            }
        } finally {
            server.close().sync();
        }
    }

    @Test
    void closedUdpPortIsReportedAtOnce() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        QuicFinding f = QuicProbe.probe(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(2), "test");
        assertThat(f.answers()).isFalse();
        assertThat(f.detail()).contains("UDP port closed");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
    }

    @Test
    void unrelatedUdpAnswerIsNotQuic() throws Exception {
        try (DatagramSocket echo = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    byte[] buf = new byte[2048];
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    echo.receive(p);
                    echo.send(new java.net.DatagramPacket(buf, p.getLength(), p.getSocketAddress())); // echo back
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            QuicFinding f = QuicProbe.probe(new InetSocketAddress("127.0.0.1", echo.getLocalPort()),
                    Duration.ofMillis(400), "test");
            assertThat(f.answers()).as("an echo of our own packet is not a Version Negotiation").isFalse();
        }
    }

    @Test
    void fullScanReportsQuicOnTheScannedPort() throws Exception {
        certs.leaf(dir, "EC", "localhost", NOW.minusSeconds(3600), NOW.plusSeconds(86400 * 20));
        try (OpenSslServer tls = OpenSslServer.start(dir);
             Scanner scanner = new Scanner(ScanOptions.defaults().withHttpPort(0)
                     .withReadTimeout(Duration.ofSeconds(2)).withTrustAnchors(List.of(certs.ca)))) {
            Channel quic = quicServer(tls.port); // same port number, UDP, as HTTPS servers put it
            try {
                ScanReport r = scanner.scan(new ScanTarget("localhost", tls.port, null, "127.0.0.1"), x -> { });
                System.out.println(TableRenderer.render(List.of(r)));
                assertThat(r.quic().answers()).as(r.quic().detail()).isTrue();
                assertThat(r.quic().port()).isEqualTo(tls.port);
                assertThat(r.quic().detail()).contains("the scanned port");
                assertThat(ReportJson.write(List.of(r))).contains("\"quic\"", "\"QUICv1\"");
                assertThat(HtmlRenderer.render(List.of(r))).contains("QUIC on UDP " + tls.port);
            } finally {
                quic.close().sync();
            }
        }
    }
}
