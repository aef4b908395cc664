package io.portcullis.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.portcullis.server.exchange.EarlyDataPolicy;
import io.portcullis.server.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The HTTP/1.1 request head sent upstream for a client request of any protocol. Its fields are defined once, in
 * {@link #fields}; {@link #encoded} writes them straight to bytes for the common request without a body, and
 * {@link #head}/{@link #whole} collect them into a Netty message for the HTTP codec to frame.
 */
final class UpstreamRequest {
    // The fields passed through from the client were validated when they were parsed; ours are built from validated
    // parts (authority, scheme, addresses). Nothing is validated twice.
    private static final HttpHeadersFactory UNVALIDATED = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);
    private static final byte[] HTTP_1_1_CRLF = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int COLON_SPACE = (':' << 8) | ' ';
    private static final int CRLF = ('\r' << 8) | '\n';
    private static final AsciiString ZERO = AsciiString.cached("0");
    private static final AsciiString TRAILERS = AsciiString.cached("trailers");
    private static final AsciiString WEBSOCKET = AsciiString.cached("websocket");
    private static final AsciiString UPGRADE = AsciiString.cached("Upgrade");
    private static final AsciiString ONE = AsciiString.cached("1");
    /** Room for a typical head (request line, a browser's fields, ours) in one pooled buffer, without regrowing. */
    private static final int INITIAL_HEAD_BYTES = 1024;

    private UpstreamRequest() {
    }

    /**
     * Whether {@link #encoded} may carry the request: no body to frame, and nothing the HTTP codec must see to frame
     * the response: HEAD (its response has no body), CONNECT (a 200 turns the connection into a tunnel) and a
     * WebSocket handshake (the upgrade).
     */
    static boolean encodable(Request request, boolean webSocket) {
        HttpMethod method = request.method();
        return !webSocket && !request.hasBody() && !HttpMethod.HEAD.equals(method)
                && !HttpMethod.CONNECT.equals(method);
    }

    /** The whole head of an {@link #encodable} request as bytes, ready for the socket (or the upstream's TLS). */
    static ByteBuf encoded(Request request, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.ioBuffer(INITIAL_HEAD_BYTES);
        try {
            ByteBufUtil.copy(request.method().asciiName(), buf);
            buf.writeByte(' ');
            ByteBufUtil.writeAscii(buf, uri(request));
            buf.writeBytes(HTTP_1_1_CRLF);
            fields(request, false, (name, value) -> {
                ByteBufUtil.writeAscii(buf, name);
                buf.writeShort(COLON_SPACE);
                ByteBufUtil.writeAscii(buf, value);
                buf.writeShort(CRLF);
            });
            buf.writeShort(CRLF);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    static HttpRequest head(Request request, boolean webSocket) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri(request), headers(request, webSocket));
    }

    /** Head and end of a request without a body, as one message. */
    static FullHttpRequest whole(Request request, boolean webSocket) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri(request), Unpooled.EMPTY_BUFFER,
                headers(request, webSocket), EmptyHttpHeaders.INSTANCE);
    }

    private static HttpHeaders headers(Request request, boolean webSocket) {
        HttpHeaders h = UNVALIDATED.newHeaders();
        fields(request, webSocket, h::add);
        return h;
    }

    private static String uri(Request request) {
        String uri = request.rawUri();
        return uri == null || uri.isEmpty() ? "/" : uri;
    }

    /**
     * Every field of the upstream head, in order: the client's end-to-end fields (hop-by-hop ones and those named
     * in {@code Connection} dropped, see {@link HopByHopHeaders}; {@code Expect} dropped because the exchange answers
     * {@code 100-continue} itself), then the fields the proxy owns: the Cookie fields joined into one (RFC 9113
     * section 8.2.3 requires that towards HTTP/1.1), {@code TE: trailers} (the only TE value a proxy may pass on),
     * the WebSocket upgrade, Host, the forwarding headers, Early-Data, and the framing.
     */
    static void fields(Request request, boolean webSocket, HeadFieldSink out) {
        HttpHeaders in = request.headers();
        List<String> named = HopByHopHeaders.connectionTokens(in);
        boolean earlyData = EarlyDataPolicy.inEarlyData(request);
        CharSequence cookie = null;
        CharSequence priorFor = null;
        CharSequence priorForwarded = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            if (HopByHopHeaders.isHopByHop(name, named) || ownedByProxy(name, earlyData)) {
                continue;
            }
            CharSequence value = e.getValue();
            if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.COOKIE)) {
                cookie = cookie == null ? value : cookie + "; " + value;
            } else if (AsciiString.contentEqualsIgnoreCase(name, ForwardedHeaders.X_FORWARDED_FOR)) {
                priorFor = priorFor == null ? value : priorFor + ", " + value;
            } else if (AsciiString.contentEqualsIgnoreCase(name, ForwardedHeaders.FORWARDED)) {
                priorForwarded = priorForwarded == null ? value : priorForwarded + ", " + value;
            } else {
                out.field(name, value);
            }
        }
        if (cookie != null) {
            out.field(HttpHeaderNames.COOKIE, cookie);
        }
        if (in.containsValue(HttpHeaderNames.TE, TRAILERS, true)) {
            out.field(HttpHeaderNames.TE, TRAILERS);
        }
        if (webSocket) {
            out.field(HttpHeaderNames.UPGRADE, WEBSOCKET);
            out.field(HttpHeaderNames.CONNECTION, UPGRADE);
        }
        // The upstream sees the name the client asked for (virtual hosts, absolute redirects), like proxy_set_header
        // Host $http_host; HTTP/2 and HTTP/3 carry it as :authority, which is not in the headers.
        out.field(HttpHeaderNames.HOST, request.authority());
        ForwardedHeaders.write(request, priorFor, priorForwarded, out);
        if (earlyData) {
            // RFC 8470 5.1: an intermediary forwarding a request that came in early data must say so.
            out.field(EarlyDataPolicy.HEADER, ONE);
        }
        long length = request.contentLength();
        if (length > 0) {
            out.field(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
        } else if (length < 0) {
            // Unknown length (HTTP/2 or HTTP/3 without content-length, or a chunked HTTP/1.1 body): stream it chunked.
            out.field(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (expectsBody(request.method())) {
            out.field(HttpHeaderNames.CONTENT_LENGTH, ZERO); // an empty POST must say so, or a server may wait (411)
        }
    }

    /** Client fields the proxy drops or writes itself (X-Forwarded-For and Forwarded are appended to, not copied). */
    private static boolean ownedByProxy(CharSequence name, boolean earlyData) {
        return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LENGTH)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.EXPECT)
                || AsciiString.contentEqualsIgnoreCase(name, ForwardedHeaders.X_FORWARDED_PROTO)
                || AsciiString.contentEqualsIgnoreCase(name, ForwardedHeaders.X_FORWARDED_HOST)
                || earlyData && AsciiString.contentEqualsIgnoreCase(name, EarlyDataPolicy.HEADER);
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
