package io.portcullis.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.portcullis.bench.BenchRuntime;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.exchange.ConnectionInfo;
import io.portcullis.server.http.TlsInfo;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP/1.1 request through the server's real HTTP/1.1 pipeline minus TLS and the socket: activity marker, strict
 * decoder, encoder, connection handler, chunked writer, dispatcher (head validation by RequestHeadParser, Host and path
 * normalisation, site and route lookup), the respond handler, the response header policy, and the encoded response.
 *
 * <p>This class lives in the server's {@code pipeline} package only because {@code Http1Pipeline.install} is
 * package-private; the bench module reaches it on the class path (no JPMS). If that method is made public (the ask in
 * bench/README.md), move this class to {@code io.portcullis.bench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Http1PipelineBench {

    /** {@code curl}: a minimal request; {@code browser}: a typical browser request head (about 700 bytes). */
    @Param({"curl", "browser"})
    public String requestCase;

    private EmbeddedChannel channel;
    private ByteBuf request;

    @Setup(Level.Trial)
    public void setup() {
        ServerRuntime runtime = BenchRuntime.compile(BenchRuntime.MANY_SITES);
        ConnectionInfo info = new ConnectionInfo(new InetSocketAddress("127.0.0.1", 50000),
                new InetSocketAddress("127.0.0.1", 443),
                new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "www.example.com", "http/1.1"), "https");
        channel = new EmbeddedChannel();
        Http1Pipeline.install(channel.pipeline(), runtime.config().limits(), () -> runtime, info);
        String head = "curl".equals(requestCase)
                ? "GET /api/v1/users/42 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n"
                : "GET /api/v1/users/42?expand=orders&limit=20 HTTP/1.1\r\n"
                + "Host: www.example.com\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36\r\n"
                + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
                + "Accept-Language: en-GB,en;q=0.9,de;q=0.8\r\n"
                + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                + "Referer: https://www.example.com/account/overview\r\n"
                + "Cookie: session=7f9c2ba4e88f827d616045507605853e; theme=dark; consent=1\r\n"
                + "Sec-Fetch-Dest: document\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Site: same-origin\r\n"
                + "Sec-Ch-Ua: \"Chromium\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\nSec-Ch-Ua-Mobile: ?0\r\n"
                + "Upgrade-Insecure-Requests: 1\r\nCache-Control: max-age=0\r\nConnection: keep-alive\r\n\r\n";
        request = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes(head.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
        // Sanity check once: the pipeline answers 200 and keeps the connection open.
        int bytes = exchange();
        if (bytes <= 0 || !channel.isOpen()) {
            throw new IllegalStateException("the pipeline did not answer the benchmark request");
        }
    }

    /** Feeds one request, drains and releases the encoded response; returns its size. */
    @Benchmark
    public int exchange() {
        channel.writeInbound(request.duplicate());
        channel.runPendingTasks();
        int bytes = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            if (out instanceof ByteBuf buf) {
                bytes += buf.readableBytes();
                buf.release();
            } else {
                io.netty.util.ReferenceCountUtil.release(out);
            }
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }
}
