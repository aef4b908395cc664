package io.portcullis.server.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.server.exchange.EarlyDataPolicy;
import io.portcullis.server.http.Request;

/** The HTTP/1.1 request head sent upstream for a client request of any protocol. */
final class UpstreamRequest {
    private UpstreamRequest() {
    }

    static HttpRequest head(Request request, boolean webSocket) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri(request), headers(request, webSocket));
    }

    /** Head and end of a request without a body, as one message. */
    static FullHttpRequest whole(Request request, boolean webSocket) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri(request), Unpooled.EMPTY_BUFFER,
                headers(request, webSocket), EmptyHttpHeaders.INSTANCE);
    }

    private static String uri(Request request) {
        String uri = request.rawUri();
        return uri == null || uri.isEmpty() ? "/" : uri;
    }

    private static HttpHeaders headers(Request request, boolean webSocket) {
        HttpHeaders h = HopByHopHeaders.forRequest(request.headers(), webSocket);
        // The upstream sees the name the client asked for (virtual hosts, absolute redirects), like proxy_set_header
        // Host $http_host; HTTP/2 and HTTP/3 carry it as :authority, which is not in the headers.
        h.set(HttpHeaderNames.HOST, request.authority());
        ForwardedHeaders.apply(request, h);
        if (EarlyDataPolicy.inEarlyData(request)) {
            // RFC 8470 5.1: an intermediary forwarding a request that came in early data must say so.
            h.set(EarlyDataPolicy.HEADER, "1");
        }
        long length = request.contentLength();
        if (length > 0) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, length);
        } else if (length < 0) {
            // Unknown length (HTTP/2 or HTTP/3 without content-length, or a chunked HTTP/1.1 body): stream it chunked.
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (expectsBody(request.method())) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, 0); // an empty POST must say so, or an HTTP/1.1 server may wait (411)
        } else {
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        return h;
    }

    private static boolean expectsBody(HttpMethod m) {
        return m.equals(HttpMethod.POST) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.PATCH);
    }

    /** Methods that may be sent twice (RFC 9110 section 9.2.2), so a failed attempt may be retried. */
    static boolean isIdempotent(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
                || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.TRACE);
    }
}
