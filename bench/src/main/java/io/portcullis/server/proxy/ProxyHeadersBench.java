package io.portcullis.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import io.portcullis.server.http.TlsInfo;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request header work of the reverse proxy: the upstream request head (hop-by-hop headers stripped,
 * Connection-named headers dropped, Host, X-Forwarded-*, Forwarded, framing) and the response headers passed back.
 * {@code upstreamRequestBytes} is the head as the proxy sends a bodiless request (bytes written straight into a pooled
 * buffer, encoding included); {@code upstreamRequestHead} the message built for requests with a body, before the HTTP
 * codec encodes it.
 * The byte relay itself (ResponseRelay, RequestBodyRelay) is socket-bound and measured end to end by run.sh's
 * {@code proxy} and {@code large} workloads.
 *
 * <p>In the server's {@code proxy} package only because {@code UpstreamRequest} and {@code HopByHopHeaders} are
 * package-private (see bench/README.md for the ask).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProxyHeadersBench {

    /** {@code small}: curl-like; {@code browser}: a browser request with cookies, an existing X-Forwarded-For and a
     * Connection header naming a custom hop-by-hop header. */
    @Param({"small", "browser"})
    public String headerCase;

    private Request request;
    private HttpHeaders upstreamResponse;

    @Setup
    public void setup() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add("host", "www.example.com");
        h.add("user-agent", "curl/7.88.1");
        h.add("accept", "*/*");
        if ("browser".equals(headerCase)) {
            h.add("accept-language", "en-GB,en;q=0.9");
            h.add("accept-encoding", "gzip, deflate, br");
            h.add("cookie", "session=7f9c2ba4e88f827d616045507605853e");
            h.add("cookie", "theme=dark");
            h.add("referer", "https://www.example.com/account");
            h.add("x-forwarded-for", "203.0.113.9");
            h.add("connection", "keep-alive, x-trace-hop");
            h.add("x-trace-hop", "1");
            h.add("keep-alive", "timeout=5");
            h.add("te", "trailers");
        }
        request = new Request(HttpMethod.GET, "https", "www.example.com", "www.example.com", "/api/v1/users/42",
                "/api/v1/users/42", "expand=orders", h, 0, Protocol.HTTP_1_1,
                new InetSocketAddress("192.0.2.10", 51234), new InetSocketAddress("127.0.0.1", 443),
                new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "www.example.com", "http/1.1"), "bench-1");
        upstreamResponse = new DefaultHttpHeaders();
        upstreamResponse.add("server", "nginx/1.22.1");
        upstreamResponse.add("date", "Tue, 01 Apr 2025 12:00:00 GMT");
        upstreamResponse.add("content-type", "application/json");
        upstreamResponse.add("content-length", "1234");
        upstreamResponse.add("connection", "keep-alive");
        upstreamResponse.add("keep-alive", "timeout=60");
        upstreamResponse.add("cache-control", "no-store");
        upstreamResponse.add("etag", "\"67ec0a3e-4d2\"");
    }

    @Benchmark
    public HttpRequest upstreamRequestHead() {
        return UpstreamRequest.head(request, false);
    }

    @Benchmark
    public ByteBuf upstreamRequestBytes() {
        ByteBuf b = UpstreamRequest.encoded(request, PooledByteBufAllocator.DEFAULT);
        b.release();
        return b;
    }

    @Benchmark
    public HttpHeaders responseHeaders() {
        // the strip works in place, as on the decoded upstream head: each call strips its own copy of the fixture
        return HopByHopHeaders.stripForResponse(new DefaultHttpHeaders().set(upstreamResponse));
    }
}
