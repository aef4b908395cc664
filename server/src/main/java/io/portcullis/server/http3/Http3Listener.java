package io.portcullis.server.http3;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3GoAwayFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicTokenHandler;
import io.portcullis.certs.CertStore;
import io.portcullis.config.QuicConfig;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP side of the https listener: QUIC (TLS 1.3 only, ALPN h3, certificate by SNI from the same store as TCP) and
 * HTTP/3, with every request stream handed to the same dispatcher, routes and handlers as h1/h2. QUIC connections join
 * {@code connections} so a graceful stop can send them GOAWAY.
 */
public final class Http3Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Http3Listener.class);
    /** RFC 9114 5.2: the first GOAWAY of a graceful shutdown names the largest possible id; no stream is refused. */
    private static final long GOAWAY_ALL = (1L << 62) - 4;

    private final Channel channel;

    private Http3Listener(Channel channel) {
        this.channel = channel;
    }

    /** Whether the QUIC native library loads on this machine; when not, why, for the log. */
    public static Throwable unavailabilityCause() {
        return Quic.isAvailable() ? null : Quic.unavailabilityCause();
    }

    /**
     * Binds the UDP port {@code port} on {@code address} (the https listener's). Fails like a TCP bind would (port in
     * use, permission denied).
     */
    public static Http3Listener bind(Transport transport, EventLoopGroup group, String address, int port,
                                     QuicConfig config, CertStore certs, Supplier<ServerRuntime> runtime,
                                     ChannelGroup connections) throws Exception {
        Http3ProtocolErrorAudit errors = new Http3ProtocolErrorAudit(runtime);
        HandshakesInFlight handshakes = new HandshakesInFlight();
        Http3StreamInitializer streams = new Http3StreamInitializer(runtime, errors);
        QuicServerCodecBuilder builder = Http3.newQuicServerCodecBuilder()
                .sslContext(new QuicSniContexts(certs, runtime, config.earlyData()).serverContext())
                .maxIdleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(config.initialMaxData())
                .initialMaxStreamDataBidirectionalLocal(config.initialMaxStreamData())
                .initialMaxStreamDataBidirectionalRemote(config.initialMaxStreamData())
                .initialMaxStreamsBidirectional(config.maxConcurrentStreams())
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(handshakes.track());
                        // The audit handler also goes on the client's control stream (Netty adds it there as the
                        // handler of inbound control frames), where control-stream violations are reported.
                        ch.pipeline().addLast(new Http3ServerConnectionHandler(streams, errors, null, null, true));
                        if (config.earlyData()) {
                            // Netty starts reading a QUIC connection's streams when it becomes active, which is when
                            // the handshake completes: request streams sent in 0-RTT would wait for it, and so would
                            // never count as early. Reading from the start hands them over as they arrive.
                            ch.read();
                        }
                    }
                });
        builder.tokenHandler(tokenHandler(config, handshakes, runtime.get().metrics().registry()));
        ChannelHandler codec = builder.build();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, config.receiveBuffer())
                .option(ChannelOption.SO_SNDBUF, config.sendBuffer())
                .handler(codec);
        Channel ch = b.bind(new InetSocketAddress(address, port)).sync().channel();
        warnIfBuffersCapped((DatagramChannel) ch, config);
        return new Http3Listener(ch);
    }

    /**
     * Address validation: a Retry with a token before any handshake work, so spoofed source addresses cost the server
     * nothing, for every connection ({@code always}) or only while handshakes pile up ({@code auto}, the default: a
     * flood of spoofed Initials is exactly that, and honest clients keep their round trip otherwise). {@code null}
     * for {@code off}.
     */
    private static QuicTokenHandler tokenHandler(QuicConfig config, HandshakesInFlight handshakes,
                                                 MeterRegistry registry) {
        Gauge.builder("portcullis.quic.handshakes.in.flight", handshakes, HandshakesInFlight::get)
                .description("QUIC handshakes started and not yet completed").register(registry);
        if (config.addressValidation() == QuicConfig.AddressValidation.OFF) {
            return null; // Netty's "no tokens": never a Retry
        }
        Counter retries = Counter.builder("portcullis.quic.retries")
                .description("QUIC Retry packets sent to validate a client's address").register(registry);
        boolean always = config.addressValidation() == QuicConfig.AddressValidation.ALWAYS;
        int threshold = config.retryThreshold();
        return new RetryTokenHandler(() -> always || handshakes.get() >= threshold, retries::increment,
                Clock.systemUTC());
    }

    /** The kernel silently caps socket buffers at net.core.[rw]mem_max; small ones drop packets under load. */
    private static void warnIfBuffersCapped(DatagramChannel ch, QuicConfig config) {
        String rcv = cappedWarning("receive", config.receiveBuffer(), ch.config().getReceiveBufferSize(),
                "net.core.rmem_max");
        String snd = cappedWarning("send", config.sendBuffer(), ch.config().getSendBufferSize(), "net.core.wmem_max");
        if (rcv != null) {
            LOG.warn(rcv);
        }
        if (snd != null) {
            LOG.warn(snd);
        }
    }

    /**
     * The warning for a socket buffer the kernel granted smaller than asked, or {@code null}. Linux reports twice the
     * size it granted (bookkeeping overhead included), so anything at or above the request means it was granted.
     */
    static String cappedWarning(String which, int asked, int reported, String sysctl) {
        if (reported >= asked) {
            return null;
        }
        return "QUIC UDP " + which + " buffer is " + reported + " bytes, " + asked + " asked for: the kernel caps it at "
                + sysctl + ", and a small buffer drops packets under load. Raise the cap with `sudo sysctl -w "
                + sysctl + "=" + asked + "` (and persist it in /etc/sysctl.d/)";
    }

    /** The UDP socket's buffer sizes as the kernel reports them: {receive, send}. */
    public int[] socketBuffers() {
        DatagramChannel ch = (DatagramChannel) channel;
        return new int[]{ch.config().getReceiveBufferSize(), ch.config().getSendBufferSize()};
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops taking new QUIC connections (packets of existing ones are no longer read either: call last). */
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /**
     * Graceful-stop step for one connection: a GOAWAY on its control stream tells the client to open no new request
     * stream; requests already sent are still answered.
     */
    public static boolean sendGoAway(Channel ch) {
        if (!(ch instanceof QuicChannel quic)) {
            return false;
        }
        QuicStreamChannel control = Http3.getLocalControlStream(quic);
        if (control != null && control.isActive()) {
            control.writeAndFlush(new DefaultHttp3GoAwayFrame(GOAWAY_ALL));
        }
        return true;
    }
}
