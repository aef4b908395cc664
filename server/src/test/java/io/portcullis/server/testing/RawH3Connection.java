package io.portcullis.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A QUIC connection that speaks HTTP/3 by hand: ALPN {@code h3} and a verified handshake like a real client, then
 * streams whose bytes the test writes itself (frames, QPACK blocks), so it can send what no HTTP/3 library would.
 * What the server's own streams carry is read and dropped; how the server closes the connection is recorded.
 */
public final class RawH3Connection implements AutoCloseable {
    /** HTTP/3 frame types (RFC 9114 7.2) and the unidirectional stream type of the control stream. */
    public static final int DATA = 0x00;
    public static final int HEADERS = 0x01;
    public static final int SETTINGS = 0x04;
    public static final int CONTROL_STREAM = 0x00;

    private final QuicClientSocket socket;
    private final QuicChannel quic;
    private final CompletableFuture<QuicConnectionCloseEvent> closedByPeer = new CompletableFuture<>();

    private RawH3Connection(Path caPem, String host, int port) throws Exception {
        QuicSslContext ssl = QuicSslContextBuilder.forClient()
                .trustManager(caPem.toFile())
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .build();
        socket = new QuicClientSocket(ssl, host, port, b -> b
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(1024 * 1024)
                .initialMaxStreamDataBidirectionalLocal(256 * 1024)
                .initialMaxStreamDataUnidirectional(256 * 1024)
                .initialMaxStreamsUnidirectional(8), null);
        quic = socket.connection()
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof QuicConnectionCloseEvent close) {
                            closedByPeer.complete(close);
                        }
                        ctx.fireUserEventTriggered(evt);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        closedByPeer.completeExceptionally(new IllegalStateException(
                                "connection closed without a CONNECTION_CLOSE from the server"));
                        ctx.fireChannelInactive();
                    }
                })
                .streamHandler(new Discard())
                .connect().get(10, TimeUnit.SECONDS);
    }

    /** Connects and completes the handshake, verifying the server against {@code caPem} for {@code host}. */
    public static RawH3Connection connect(Path caPem, String host, int port) throws Exception {
        return new RawH3Connection(caPem, host, port);
    }

    /** Opens a unidirectional stream and writes {@code bytes} (starting with the stream type) without a FIN. */
    public QuicStreamChannel uniStream(byte[] bytes) throws Exception {
        QuicStreamChannel s = quic.createStream(QuicStreamType.UNIDIRECTIONAL, new Discard()).get(5, TimeUnit.SECONDS);
        s.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
        return s;
    }

    /** Opens a request (bidirectional) stream and writes {@code bytes}, then a FIN. */
    public QuicStreamChannel requestStream(byte[] bytes) throws Exception {
        QuicStreamChannel s = quic.createStream(QuicStreamType.BIDIRECTIONAL, new Discard()).get(5, TimeUnit.SECONDS);
        s.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT).sync();
        return s;
    }

    /** A well-formed control stream: its type and an empty SETTINGS frame, as every HTTP/3 client sends first. */
    public QuicStreamChannel controlStream(byte[]... framesAfterSettings) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(varint(CONTROL_STREAM));
        out.writeBytes(frame(SETTINGS, new byte[0]));
        for (byte[] f : framesAfterSettings) {
            out.writeBytes(f);
        }
        return uniStream(out.toByteArray());
    }

    /** The server's CONNECTION_CLOSE, waiting up to 5 s for it. */
    public QuicConnectionCloseEvent awaitClose() throws Exception {
        return closedByPeer.get(5, TimeUnit.SECONDS);
    }

    /** One HTTP/3 frame: type, length, payload (RFC 9114 7.1). */
    public static byte[] frame(long type, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(varint(type));
        out.writeBytes(varint(payload.length));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** A QUIC variable-length integer (RFC 9000 16). */
    public static byte[] varint(long v) {
        ByteBuf b = Unpooled.buffer(8);
        try {
            if (v < 1 << 6) {
                b.writeByte((int) v);
            } else if (v < 1 << 14) {
                b.writeShort((int) (v | 0x4000));
            } else if (v < 1L << 30) {
                b.writeInt((int) (v | 0x80000000L));
            } else {
                b.writeLong(v | 0xc000000000000000L);
            }
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            return bytes;
        } finally {
            b.release();
        }
    }

    /** Reads and drops whatever a stream carries. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void close() {
        socket.close(quic);
    }
}
