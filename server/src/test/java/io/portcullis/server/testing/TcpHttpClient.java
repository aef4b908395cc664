package io.portcullis.server.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;

/**
 * A real HTTP/1.1 or HTTP/2 client over TLS (Netty's codecs) for tests that must choose the authority freely, which
 * the JDK client does not allow (Host is a restricted header there). The certificate is verified against a CA file
 * and the SNI name {@code sni}, as a browser would. HTTP/1.1 opens a connection per request (so a 413 that closes one
 * cannot disturb the next); HTTP/2 keeps one connection and opens a stream per request.
 */
public final class TcpHttpClient implements HttpTestClient {
    private static final int MAX_RESPONSE = 64 * 1024 * 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final SslContext ssl;
    private final String sni;
    private final int port;
    private final boolean http2;
    private Channel h2Connection;

    private TcpHttpClient(Path caPem, String sni, int port, boolean http2) throws IOException {
        this.sni = sni;
        this.port = port;
        this.http2 = http2;
        String alpn = http2 ? "h2" : "http/1.1";
        this.ssl = SslContextBuilder.forClient()
                .trustManager(caPem.toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                .build();
    }

    /** HTTP/1.1 (ALPN http/1.1) to 127.0.0.1:{@code port}, verifying the certificate for {@code sni}. */
    public static TcpHttpClient http1(Path caPem, String sni, int port) throws IOException {
        return new TcpHttpClient(caPem, sni, port, false);
    }

    /** HTTP/2 (ALPN h2); fails on the first request if the server does not select h2. */
    public static TcpHttpClient http2(Path caPem, String sni, int port) throws IOException {
        return new TcpHttpClient(caPem, sni, port, true);
    }

    @Override
    public synchronized Response request(String method, String authority, String path, Map<String, String> headers,
                                         byte[] body) throws Exception {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.HOST, authority);
        headers.forEach((k, v) -> req.headers().add(k, v));
        if (body != null) {
            req.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        CompletableFuture<Response> done = new CompletableFuture<>();
        Channel channel;
        if (http2) {
            req.headers().set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), "https");
            Http2StreamChannel stream = new Http2StreamChannelBootstrap(h2Connection())
                    .handler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel ch) {
                            ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                                    new HttpObjectAggregator(MAX_RESPONSE), new ResponseCollector(done));
                        }
                    }).open().get(10, TimeUnit.SECONDS);
            channel = stream;
        } else {
            channel = connect(p -> p.addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE),
                    new ResponseCollector(done)));
        }
        channel.writeAndFlush(req);
        try {
            return done.get(30, TimeUnit.SECONDS);
        } finally {
            if (!http2) {
                channel.close();
            }
        }
    }

    private Channel h2Connection() throws Exception {
        if (h2Connection == null || !h2Connection.isActive()) {
            h2Connection = connect(p -> p.addLast(Http2FrameCodecBuilder.forClient()
                            .initialSettings(Http2Settings.defaultSettings().initialWindowSize(16 * 1024 * 1024))
                            .build(),
                    new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                            // no server push expected
                        }
                    })));
        }
        return h2Connection;
    }

    private Channel connect(java.util.function.Consumer<ChannelPipeline> httpStages) throws Exception {
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler tls = ssl.newHandler(ch.alloc(), sni, port);
                        SSLParameters params = tls.engine().getSSLParameters();
                        params.setEndpointIdentificationAlgorithm("HTTPS");
                        tls.engine().setSSLParameters(params);
                        ch.pipeline().addLast(tls);
                        httpStages.accept(ch.pipeline());
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        SslHandler tls = ch.pipeline().get(SslHandler.class);
        tls.handshakeFuture().get(10, TimeUnit.SECONDS);
        String expected = http2 ? "h2" : "http/1.1";
        if (!expected.equals(tls.applicationProtocol())) {
            ch.close();
            throw new IOException("server selected ALPN " + tls.applicationProtocol() + ", not " + expected);
        }
        return ch;
    }

    /** Completes {@code done} with the aggregated response, or fails it if the channel closes first. */
    private static final class ResponseCollector extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<Response> done;

        ResponseCollector(CompletableFuture<Response> done) {
            this.done = done;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            if (msg.status().code() < 200) {
                return; // interim response
            }
            Map<String, String> headers = new LinkedHashMap<>();
            msg.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
            done.complete(new Response(msg.status().code(), headers, ByteBufUtil.getBytes(msg.content())));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IOException("closed before the response was complete"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    @Override
    public synchronized void close() {
        if (h2Connection != null) {
            h2Connection.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
