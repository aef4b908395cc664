package io.portcullis.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.bench.BenchRuntime;
import io.portcullis.server.filter.ResponseHeaderPolicy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A proxied response's head from the upstream's bytes to the client's: decoded by Netty's HTTP/1.1 decoder (as the
 * upstream connection's codec does), hop-by-hop fields stripped, the site's header policy applied, framing checked,
 * and encoded again. {@code decodeOnly} is the first step alone. It bounds what parsing the upstream's head in place
 * and copying its bytes to the client could save per request (see bench/README.md, "Where a proxied request's time
 * goes"). The embedded channels add their own small cost to both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProxyResponseHeadBench {
    /** What the harness's upstream nginx sends for the 13-byte body. */
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
            + "Date: Sun, 06 Dec 2026 20:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
            + "Last-Modified: Sun, 06 Dec 2026 19:00:00 GMT\r\nConnection: keep-alive\r\nETag: \"67ec0a3e-d\"\r\n"
            + "Accept-Ranges: bytes\r\n\r\nHello, world!").getBytes(StandardCharsets.US_ASCII);

    private EmbeddedChannel decoder;
    private EmbeddedChannel encoder;
    private ResponseHeaderPolicy policy;
    private ByteBuf response;

    @Setup
    public void setup() {
        decoder = new EmbeddedChannel(new HttpResponseDecoder(new HttpDecoderConfig()));
        encoder = new EmbeddedChannel(new HttpResponseEncoder());
        policy = BenchRuntime.compile(BenchRuntime.HELLO).sites().lookup("localhost").headerPolicy();
        response = Unpooled.directBuffer().writeBytes(RESPONSE);
    }

    @Benchmark
    public int decodeOnly() {
        decoder.writeInbound(response.retainedDuplicate());
        HttpResponse head = decoder.readInbound();
        for (Object o; (o = decoder.readInbound()) != null; ) {
            ReferenceCountUtil.release(o);
        }
        return head.headers().size();
    }

    @Benchmark
    public int decodeFilterEncode() {
        decoder.writeInbound(response.retainedDuplicate());
        HttpResponse head = decoder.readInbound();
        HttpContent body = decoder.readInbound();
        HttpHeaders headers = HopByHopHeaders.stripForResponse(head.headers());
        policy.apply(headers, true);
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        encoder.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(), body.content(), headers,
                EmptyHttpHeaders.INSTANCE));
        int bytes = 0;
        for (ByteBuf out; (out = encoder.readOutbound()) != null; ) {
            bytes += out.readableBytes();
            out.release();
        }
        return bytes;
    }
}
