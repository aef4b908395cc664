package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import io.portcullis.server.http.TlsInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The upstream request head: what crosses the proxy, and that the bytes written directly for a bodiless request
 * equal what the HTTP codec would encode from {@link UpstreamRequest#head} for the same request.
 */
class UpstreamRequestTest {
    private static Request request(HttpMethod method, HttpHeaders headers, long contentLength, boolean earlyData)
            throws Exception {
        return new Request(method, "https", "example.com", "example.com:8443", "/a b", "/a%20b", "q=1", headers,
                contentLength, Protocol.HTTP_1_1, new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 50000),
                new InetSocketAddress(443), new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "example.com",
                "http/1.1", null, earlyData), "r1");
    }

    private static Request get(HttpHeaders headers) throws Exception {
        return request(HttpMethod.GET, headers, 0, false);
    }

    /** The head as the upstream parses it, from the direct bytes. */
    private static HttpRequest parsedEncoded(Request r) {
        assertThat(UpstreamRequest.encodable(r, false)).isTrue();
        ByteBuf bytes = UpstreamRequest.encoded(r, UnpooledByteBufAllocator.DEFAULT);
        return parse(bytes);
    }

    /** The head as the upstream parses it, from the codec's encoding of the message path. */
    private static HttpRequest parsedViaCodec(Request r, boolean webSocket) {
        EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
        encoder.writeOutbound(UpstreamRequest.head(r, webSocket), LastHttpContent.EMPTY_LAST_CONTENT);
        ByteBuf all = UnpooledByteBufAllocator.DEFAULT.buffer();
        for (Object o; (o = encoder.readOutbound()) != null; ) {
            all.writeBytes((ByteBuf) o);
            ReferenceCountUtil.release(o);
        }
        return parse(all);
    }

    private static HttpRequest parse(ByteBuf bytes) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpRequestDecoder());
        decoder.writeInbound(bytes);
        HttpRequest head = decoder.readInbound();
        assertThat(head.decoderResult().isSuccess()).as("upstream parses the head").isTrue();
        for (Object o; (o = decoder.readInbound()) != null; ) {
            ReferenceCountUtil.release(o);
        }
        return head;
    }

    private static List<String> fields(HttpRequest head) {
        return head.headers().entries().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    @Test
    void stripsHopByHopAndConnectionNamedFieldsAndExpect() throws Exception {
        HttpHeaders in = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Hop")
                .add("Connection", "x-other")
                .add("X-Hop", "1").add("X-Other", "2")
                .add("Keep-Alive", "timeout=5").add("Proxy-Connection", "keep-alive")
                .add("TE", "gzip").add("Trailer", "X-T")
                .add("Upgrade", "h2c").add("Proxy-Authorization", "Basic x").add("Proxy-Authenticate", "Basic")
                .add("HTTP2-Settings", "AAA").add("Expect", "100-continue")
                .add("Accept", "*/*").add("Authorization", "Bearer t");
        HttpRequest out = parsedEncoded(get(in));
        assertThat(out.headers().names().stream().map(n -> n.toLowerCase(Locale.ROOT))).containsExactlyInAnyOrder(
                "accept", "authorization", "host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
                "forwarded");
        assertThat(out.method()).isEqualTo(HttpMethod.GET);
        assertThat(out.uri()).isEqualTo("/a%20b?q=1");
        assertThat(out.protocolVersion().text()).isEqualTo("HTTP/1.1");
    }

    @Test
    void ownsHostForwardingAndFraming() throws Exception {
        HttpHeaders in = new DefaultHttpHeaders().add("Host", "evil.example").add("Content-Length", "0")
                .add("X-Forwarded-For", "10.0.0.1").add("x-forwarded-for", "10.0.0.2")
                .add("Forwarded", "for=10.0.0.1").add("X-Forwarded-Proto", "http").add("X-Forwarded-Host", "x");
        HttpHeaders out = parsedEncoded(get(in)).headers();
        assertThat(out.getAll("Host")).containsExactly("example.com:8443");
        assertThat(out.getAll("X-Forwarded-For")).containsExactly("10.0.0.1, 10.0.0.2, 192.0.2.7");
        assertThat(out.getAll("X-Forwarded-Proto")).containsExactly("https");
        assertThat(out.getAll("X-Forwarded-Host")).containsExactly("example.com:8443");
        assertThat(out.getAll("Forwarded"))
                .containsExactly("for=10.0.0.1, for=192.0.2.7;proto=https;host=\"example.com:8443\"");
        assertThat(out.contains("Content-Length")).isFalse();
    }

    @Test
    void joinsCookiesKeepsTeTrailersAndMarksEarlyData() throws Exception {
        HttpHeaders in = new DefaultHttpHeaders().add("cookie", "a=1").add("cookie", "b=2")
                .add("TE", "trailers, deflate").add("Early-Data", "0");
        HttpHeaders out = parsedEncoded(request(HttpMethod.GET, in, 0, true)).headers();
        assertThat(out.getAll("cookie")).containsExactly("a=1; b=2");
        assertThat(out.getAll("te")).containsExactly("trailers");
        assertThat(out.getAll("early-data")).containsExactly("1");
    }

    @Test
    void emptyPostSaysContentLengthZero() throws Exception {
        HttpHeaders out = parsedEncoded(request(HttpMethod.POST, new DefaultHttpHeaders(), 0, false)).headers();
        assertThat(out.getAll("Content-Length")).containsExactly("0");
    }

    @Test
    void bodiesHeadConnectAndWebSocketTakeTheCodecPath() throws Exception {
        assertThat(UpstreamRequest.encodable(request(HttpMethod.POST, new DefaultHttpHeaders(), 5, false), false))
                .isFalse();
        assertThat(UpstreamRequest.encodable(request(HttpMethod.HEAD, new DefaultHttpHeaders(), 0, false), false))
                .isFalse();
        assertThat(UpstreamRequest.encodable(get(new DefaultHttpHeaders()), true)).isFalse();
        assertThat(UpstreamRequest.encodable(request(HttpMethod.CONNECT, new DefaultHttpHeaders(), 0, false), false))
                .isFalse();

        HttpHeaders chunked = parsedViaCodec(request(HttpMethod.POST, new DefaultHttpHeaders(), -1, false), false)
                .headers();
        assertThat(chunked.getAll("Transfer-Encoding")).containsExactly("chunked");
        HttpHeaders sized = parsedViaCodec(request(HttpMethod.PUT, new DefaultHttpHeaders(), 5, false), false)
                .headers();
        assertThat(sized.getAll("Content-Length")).containsExactly("5");

        HttpHeaders ws = parsedViaCodec(get(new DefaultHttpHeaders().add("Connection", "keep-alive, Upgrade")
                .add("Upgrade", "websocket").add("Sec-WebSocket-Key", "k")), true).headers();
        assertThat(ws.getAll("Upgrade")).containsExactly("websocket");
        assertThat(ws.getAll("Connection")).containsExactly("Upgrade");
        assertThat(ws.getAll("Sec-WebSocket-Key")).containsExactly("k");
    }

    @Test
    void directBytesEqualTheCodecsEncodingFieldForField() throws Exception {
        HttpHeaders browser = new DefaultHttpHeaders()
                .add("host", "example.com:8443").add("user-agent", "Mozilla/5.0").add("accept", "*/*")
                .add("accept-language", "en-GB,en;q=0.9").add("cookie", "session=7f9c").add("cookie", "theme=dark")
                .add("x-forwarded-for", "203.0.113.9").add("connection", "keep-alive, x-trace-hop")
                .add("x-trace-hop", "1").add("te", "trailers").add("x-latin1", "caf\u00e9");
        for (Request r : List.of(get(browser), get(new DefaultHttpHeaders()),
                request(HttpMethod.DELETE, browser, 0, true), request(HttpMethod.PATCH, browser, 0, false))) {
            HttpRequest direct = parsedEncoded(r);
            HttpRequest viaCodec = parsedViaCodec(r, false);
            assertThat(direct.method()).isEqualTo(viaCodec.method());
            assertThat(direct.uri()).isEqualTo(viaCodec.uri());
            assertThat(fields(direct)).containsExactlyElementsOf(fields(viaCodec));
        }
        ByteBuf raw = UpstreamRequest.encoded(get(browser), UnpooledByteBufAllocator.DEFAULT);
        assertThat(raw.toString(StandardCharsets.ISO_8859_1)).contains("x-latin1: caf\u00e9\r\n").endsWith("\r\n\r\n");
        raw.release();
    }
}
