package io.portcullis.server.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelBootstrap;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The UDP side every test QUIC client shares: its own event loop, a socket on 127.0.0.1, Netty's client codec for
 * {@code host} (SNI and certificate name) and {@code port}, and optionally a handler that sees every received
 * datagram before the codec (to delay or drop them).
 */
public final class QuicClientSocket {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel udp;
    private final int port;

    public QuicClientSocket(QuicSslContext ssl, String host, int port, Consumer<QuicClientCodecBuilder> options,
                     ChannelHandler beforeCodec) throws InterruptedException {
        this.port = port;
        QuicClientCodecBuilder builder = Http3.newQuicClientCodecBuilder()
                .sslEngineProvider(q -> ssl.newEngine(q.alloc(), host, port));
        options.accept(builder);
        ChannelHandler codec = builder.build();
        udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(beforeCodec == null ? codec : new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(beforeCodec, codec);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** A bootstrap for a QUIC connection to the server. */
    public QuicChannelBootstrap connection() {
        return QuicChannel.newBootstrap(udp).remoteAddress(new InetSocketAddress("127.0.0.1", port));
    }

    /** Closes {@code quic} (if any), the socket and the event loop. */
    public void close(QuicChannel quic) {
        try {
            if (quic != null) {
                quic.close().sync();
            }
            udp.close().sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
