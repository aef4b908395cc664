package io.portcullis.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.certs.acme.AcmeChallenges;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.exchange.ErrorPages;
import io.portcullis.server.exchange.HostName;
import io.portcullis.server.http.RequestIds;
import io.portcullis.server.log.AccessLogEntry;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Port 80's one job: a permanent redirect (308, so the method and body survive) to {@code https://} with the same host,
 * path and query, and the https port when it is not 443. {@code /.well-known/acme-challenge/} is reserved for ACME
 * HTTP-01 answers (RFC 8555 8.3): the key authorization of a
 * token whose validation is in flight, as {@code application/octet-stream}; 404 for any other token.
 */
final class HttpsRedirectHandler extends ChannelInboundHandlerAdapter {
    static final String ACME_PREFIX = "/.well-known/acme-challenge/";

    private final Supplier<ServerRuntime> runtime;
    private final IntSupplier httpsPort;
    private final AcmeChallenges acme;

    HttpsRedirectHandler(Supplier<ServerRuntime> runtime, IntSupplier httpsPort, AcmeChallenges acme) {
        this.acme = acme;
        this.runtime = runtime;
        this.httpsPort = httpsPort;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                handle(ctx, request);
            }
        } finally {
            // Request bodies are never needed here: the redirect says where to send them.
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(ChannelHandlerContext ctx, HttpRequest request) {
        long start = System.nanoTime();
        ServerRuntime rt = runtime.get();
        String requestId = RequestIds.next();
        // RFC 9112 3.2: more than one Host is a 400, as on the https listener (not "the first one wins").
        String host = request.headers().getAll(HttpHeaderNames.HOST).size() == 1
                ? HostName.parse(request.headers().get(HttpHeaderNames.HOST)) : null;
        String uri = request.uri();
        FullHttpResponse response;
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !request.decoderResult().isFailure();
        if (request.decoderResult().isFailure() || host == null || !uri.startsWith("/")) {
            response = error(ctx, HttpResponseStatus.BAD_REQUEST, requestId);
            keepAlive = false;
        } else if (uri.startsWith(ACME_PREFIX)) {
            String answer = acme == null ? null : acme.http01(uri.substring(ACME_PREFIX.length()));
            if (answer == null) {
                response = error(ctx, HttpResponseStatus.NOT_FOUND, requestId);
            } else {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(answer, java.nio.charset.StandardCharsets.US_ASCII));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            }
        } else {
            int port = httpsPort.getAsInt();
            String location = "https://" + host + (port == 443 ? "" : ":" + port) + uri;
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PERMANENT_REDIRECT,
                    Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.LOCATION, location);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        rt.sites().lookup(host).headerPolicy().apply(response.headers(), false);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        int status = response.status().code();
        long bytes = response.content().readableBytes();
        // Connection: close is carried out by the connection handler, with a lingering close if a body is still coming.
        ctx.writeAndFlush(response);
        if (rt.accessLog() != null) {
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            rt.accessLog().log(new AccessLogEntry(System.currentTimeMillis(), requestId,
                    remote.getAddress().getHostAddress(), host, String.valueOf(request.method()), uri, status, bytes,
                    (System.nanoTime() - start) / 1000, "HTTP/1.1", null, null,
                    request.headers().get(HttpHeaderNames.USER_AGENT), request.headers().get(HttpHeaderNames.REFERER),
                    Map.of()));
        }
    }

    private static FullHttpResponse error(ChannelHandlerContext ctx, HttpResponseStatus status, String requestId) {
        ByteBuf body = ErrorPages.render(ctx.alloc(), status, requestId);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, ErrorPages.CONTENT_TYPE);
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
