package io.portcullis.server.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small real HTTP/3 client (Netty's QUIC and HTTP/3 codecs) for tests: one QUIC connection, verifying the server's
 * certificate against a CA file with SNI {@code host}, any number of requests on it (each a new stream).
 */
public final class H3Client implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel udp;
    private final QuicChannel quic;
    private final String host;
    private final int port;
    private final CompletableFuture<Long> goAway = new CompletableFuture<>();

    /** A response: status, headers (lower-case names, last value wins), body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private H3Client(Path caPem, String host, int port, Path clientCertPem) throws Exception {
        this.host = host;
        this.port = port;
        QuicSslContextBuilder sslBuilder = QuicSslContextBuilder.forClient()
                .trustManager(caPem.toFile())
                .applicationProtocols(Http3.supportedApplicationProtocols());
        if (clientCertPem != null) {
            sslBuilder.keyManager(Path.of(clientCertPem.toString().replace(".pem", ".key")).toFile(), null,
                    clientCertPem.toFile());
        }
        QuicSslContext ssl = sslBuilder.build();
        ChannelHandler codec = Http3.newQuicClientCodecBuilder()
                .sslEngineProvider(q -> ssl.newEngine(q.alloc(), host, port))
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(64L * 1024 * 1024)
                .initialMaxStreamDataBidirectionalLocal(16L * 1024 * 1024)
                .build();
        udp = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        quic = QuicChannel.newBootstrap(udp)
                .handler(new Http3ClientConnectionHandler(new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof io.netty.handler.codec.http3.Http3GoAwayFrame frame) {
                            goAway.complete(frame.id());
                        }
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }
                }, null, null, null, true))
                .remoteAddress(new InetSocketAddress("127.0.0.1", port))
                .connect().get(10, TimeUnit.SECONDS);
    }

    /** Connects (QUIC handshake done) or throws. */
    public static H3Client connect(Path caPem, String host, int port) throws Exception {
        return new H3Client(caPem, host, port, null);
    }

    /** As {@link #connect(Path, String, int)}, presenting the client certificate {@code clientCertPem} (key beside
     * it with the extension {@code .key}, as {@link TestCa#clientKeyStore} leaves them) when asked. */
    public static H3Client connect(Path caPem, String host, int port, Path clientCertPem) throws Exception {
        return new H3Client(caPem, host, port, clientCertPem);
    }

    /** Completes with the stream id of the first GOAWAY the server sends. */
    public CompletableFuture<Long> goAway() {
        return goAway;
    }

    public QuicChannel quicChannel() {
        return quic;
    }

    public Response get(String path) throws Exception {
        return request("GET", path, Map.of(), null);
    }

    /** Sends one request and waits up to 30 s for the complete response. */
    public Response request(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
        CompletableFuture<Response> done = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int[] status = {0};
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        QuicStreamChannel stream = Http3.newRequestStream(quic, new Http3RequestStreamInboundHandler() {
            @Override
            protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                Http3Headers h = frame.headers();
                if (h.status() != null) {
                    int code = Integer.parseInt(h.status().toString());
                    if (code >= 200) {
                        status[0] = code;
                    } else {
                        return; // 1xx interim response
                    }
                }
                h.forEach(e -> responseHeaders.put(e.getKey().toString().toLowerCase(Locale.ROOT),
                        e.getValue().toString()));
            }

            @Override
            protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
                received.writeBytes(ByteBufUtil.getBytes(frame.content()));
                frame.release();
            }

            @Override
            protected void channelInputClosed(ChannelHandlerContext ctx) {
                done.complete(new Response(status[0], responseHeaders, received.toByteArray()));
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                done.completeExceptionally(new java.io.IOException("stream closed before the response ended"
                        + " (status so far " + status[0] + ")"));
            }
        }).get(10, TimeUnit.SECONDS);
        Http3HeadersFrame head = new DefaultHttp3HeadersFrame();
        head.headers().method(method).path(path).authority(host + ":" + port).scheme("https");
        headers.forEach((k, v) -> head.headers().add(k.toLowerCase(Locale.ROOT), v));
        if (body == null) {
            stream.writeAndFlush(head).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        } else {
            io.netty.channel.ChannelFuture last = stream.write(head);
            int chunk = 64 * 1024;
            for (int off = 0; off < body.length; off += chunk) {
                last = stream.write(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(body, off,
                        Math.min(chunk, body.length - off))));
            }
            stream.flush();
            // FIN only after the last frame left: shutdownOutput right away would cut what flow control still holds.
            last.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
        return done.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            quic.close().sync();
            udp.close().sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
