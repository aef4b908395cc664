package io.portcullis.server.testing;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3GoAwayFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.SslEarlyDataReadyEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
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
public final class H3Client implements HttpTestClient {
    private final QuicClientSocket socket;
    private final QuicChannel quic;
    private final String host;
    private final int port;
    private final CompletableFuture<Long> goAway = new CompletableFuture<>();

    private H3Client(QuicSslContext ssl, String host, int port, EarlyRequest early) throws Exception {
        this.host = host;
        this.port = port;
        socket = new QuicClientSocket(ssl, host, port, b -> b
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(64L * 1024 * 1024)
                .initialMaxStreamDataBidirectionalLocal(16L * 1024 * 1024),
                early == null ? null : new InboundDelay(EARLY_RTT_MILLIS));
        quic = socket.connection()
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        ch.pipeline().addLast(new Http3ClientConnectionHandler(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof Http3GoAwayFrame frame) {
                                    goAway.complete(frame.id());
                                }
                                ReferenceCountUtil.release(msg);
                            }
                        }, null, null, null, true));
                        if (early != null) {
                            ch.pipeline().addLast(early);
                        }
                    }
                })
                .connect().get(10, TimeUnit.SECONDS);
    }

    /** Connects (QUIC handshake done) or throws. */
    public static H3Client connect(Path caPem, String host, int port) throws Exception {
        return new H3Client(QuicSslContextBuilder.forClient()
                .trustManager(caPem.toFile())
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .build(), host, port, null);
    }

    /**
     * A client TLS context that keeps session tickets and offers 0-RTT: a second connection made with it resumes the
     * first one's session and may send early data (see {@link #connectSendingEarly}).
     */
    public static QuicSslContext resumingContext(Path caPem) {
        return QuicSslContextBuilder.forClient()
                .trustManager(caPem.toFile())
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .earlyData(true)
                .build();
    }

    /** Connects with a shared context (session resumption) without sending early data. */
    public static H3Client connect(QuicSslContext ssl, String host, int port) throws Exception {
        return new H3Client(ssl, host, port, null);
    }

    /**
     * Connects with {@code ssl} and sends one request in 0-RTT, before the handshake completes, as soon as the TLS
     * stack says early data may be sent (a resumed session whose ticket allows it). When it never says so, the request
     * is not sent and {@link EarlyRequest#sentInEarlyData()} stays false.
     */
    public static EarlyRequest connectSendingEarly(QuicSslContext ssl, String host, int port, String method,
                                                   String path, Map<String, String> headers) throws Exception {
        EarlyRequest early = new EarlyRequest(method, host + ":" + port, path, headers);
        early.client = new H3Client(ssl, host, port, early);
        return early;
    }

    /**
     * Loopback answers in well under a millisecond, faster than a client gets its first request written: a connection
     * meant to send early data gets this much simulated latency on what it receives, as over a real network, so the
     * request reliably leaves before the handshake completes.
     */
    private static final long EARLY_RTT_MILLIS = 300;
    /** How long after its ClientHello the early request leaves: well inside the simulated round trip. */
    private static final long EARLY_SEND_DELAY_MILLIS = 60;

    /** Delivers every received datagram {@code millis} later, in order. */
    private static final class InboundDelay extends ChannelInboundHandlerAdapter {
        private final long millis;

        InboundDelay(long millis) {
            this.millis = millis;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.executor().schedule(() -> {
                ctx.fireChannelRead(msg);
                ctx.fireChannelReadComplete();
            }, millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // fired with each delayed datagram instead
        }
    }

    /** A request sent in early data, its response, and the connection it was sent on. */
    public static final class EarlyRequest extends ChannelInboundHandlerAdapter {
        private final String method;
        private final String authority;
        private final String path;
        private final Map<String, String> headers;
        private final CompletableFuture<Response> response = new CompletableFuture<>();
        private volatile boolean sentInEarlyData;
        private H3Client client;

        private EarlyRequest(String method, String authority, String path, Map<String, String> headers) {
            this.method = method;
            this.authority = authority;
            this.path = path;
            this.headers = headers;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslEarlyDataReadyEvent) {
                QuicChannel quic = (QuicChannel) ctx.channel();
                // Later, not now: the event fires inside Netty's own send of the first flight, where a nested send is
                // skipped, so a request written here would wait for the server's answer and go out in 1-RTT. And a
                // little later still: 0-RTT packets that reach the server while it is still working on the
                // ClientHello wait in quiche until the client's next flight, by then the handshake is complete, which
                // is safe but not what this client is for (a browser's request typically leaves a few ms after).
                quic.eventLoop().schedule(() -> {
                    sentInEarlyData = !quic.isActive();
                    send(quic, method, authority, path, headers, null, response);
                }, EARLY_SEND_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
            ctx.fireUserEventTriggered(evt);
        }

        /** Whether the request went out before the handshake completed. */
        public boolean sentInEarlyData() {
            return sentInEarlyData;
        }

        /** The response, waiting up to 30 s. */
        public Response response() throws Exception {
            return response.get(30, TimeUnit.SECONDS);
        }

        /** The connection, for more (1-RTT) requests; close it when done. */
        public H3Client client() {
            return client;
        }
    }

    /** As {@link #connect(Path, String, int)}, presenting the client certificate {@code clientCertPem} (key beside
     * it with the extension {@code .key}, as {@link TestCa#clientKeyStore} leaves them) when asked. */
    public static H3Client connect(Path caPem, String host, int port, Path clientCertPem) throws Exception {
        return new H3Client(QuicSslContextBuilder.forClient()
                .trustManager(caPem.toFile())
                .keyManager(Path.of(clientCertPem.toString().replace(".pem", ".key")).toFile(), null,
                        clientCertPem.toFile())
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .build(), host, port, null);
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

    /** Sends one request to this client's host and port and waits up to 30 s for the complete response. */
    public Response request(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
        return request(method, host + ":" + port, path, headers, body);
    }

    /** Sends one request with {@code :authority} {@code authority} (the SNI stays the connection's host). */
    @Override
    public Response request(String method, String authority, String path, Map<String, String> headers, byte[] body)
            throws Exception {
        CompletableFuture<Response> done = new CompletableFuture<>();
        send(quic, method, authority, path, headers, body, done);
        return done.get(30, TimeUnit.SECONDS);
    }

    /** Opens a request stream and writes the request; never blocks, so it may run on the event loop. */
    private static void send(QuicChannel quic, String method, String authority, String path,
                             Map<String, String> headers, byte[] body, CompletableFuture<Response> done) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int[] status = {0};
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        Http3.newRequestStream(quic, new Http3RequestStreamInboundHandler() {
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
        }).addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
                return;
            }
            QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
            Http3HeadersFrame head = new DefaultHttp3HeadersFrame();
            // An AsciiString method: Netty's client validator recognises a HEAD request (no body to expect) only so.
            head.headers().method(AsciiString.of(method)).path(path).authority(authority).scheme("https");
            headers.forEach((k, v) -> head.headers().add(k.toLowerCase(Locale.ROOT), v));
            if (body == null) {
                stream.writeAndFlush(head).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            } else {
                ChannelFuture last = stream.write(head);
                int chunk = 64 * 1024;
                for (int off = 0; off < body.length; off += chunk) {
                    last = stream.write(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(body, off,
                            Math.min(chunk, body.length - off))));
                }
                stream.flush();
                // FIN only after the last frame left: shutdownOutput right away would cut what flow control holds.
                last.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
        });
    }

    @Override
    public void close() {
        socket.close(quic);
    }
}
