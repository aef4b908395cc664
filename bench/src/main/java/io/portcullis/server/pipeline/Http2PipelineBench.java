package io.portcullis.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.bench.BenchRuntime;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.exchange.ConnectionInfo;
import io.portcullis.server.http.TlsInfo;
import java.io.ByteArrayOutputStream;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP/2 request stream through the server's real HTTP/2 pipeline minus TLS and the socket: idle handler, frame
 * codec (HPACK, flow control), multiplexer with its per-stream child channel, frame-to-HTTP-object codec, dispatcher,
 * respond handler and header policy. Each operation feeds one HEADERS frame (END_STREAM) on a new stream, like an
 * h2load GET, and drains the encoded response (HEADERS + DATA).
 *
 * <p>In the server's {@code pipeline} package for the same reason as {@link Http1PipelineBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Http2PipelineBench {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private EmbeddedChannel channel;
    private byte[] headerBlock;
    private ByteBuf frame;
    /**
     * Odd client stream ids, from 3: Netty's multiplexer takes a channel without a server parent (an EmbeddedChannel)
     * for a client, and on a client stream 1 is the HTTP/1.1-upgrade stream.
     */
    private int streamId = 3;

    @Setup(Level.Trial)
    public void setup() {
        ServerRuntime runtime = BenchRuntime.compile(BenchRuntime.HELLO);
        ConnectionInfo info = new ConnectionInfo(new InetSocketAddress("127.0.0.1", 50000),
                new InetSocketAddress("127.0.0.1", 443),
                new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "localhost", "h2"), "https");
        channel = new EmbeddedChannel();
        Http2Pipeline.install(channel.pipeline(), runtime.config().limits(), () -> runtime, info);
        headerBlock = headerBlock();
        frame = Unpooled.directBuffer(9 + headerBlock.length);
        ByteBuf start = Unpooled.buffer();
        start.writeBytes(PREFACE);
        writeFrameHeader(start, 0, 0x4, 0, 0);             // SETTINGS (empty)
        writeFrameHeader(start, 0, 0x4, 0x1, 0);           // SETTINGS ACK for the server's settings
        writeFrameHeader(start, 4, 0x8, 0, 0);             // WINDOW_UPDATE on the connection: room for every response
        start.writeInt(Integer.MAX_VALUE - 65_535);
        channel.writeInbound(start);
        channel.runPendingTasks();
        drain();
        int bytes = exchange();
        if (bytes <= 0 || !channel.isOpen()) {
            throw new IllegalStateException("the pipeline did not answer the benchmark request");
        }
    }

    /** HPACK, no Huffman, no indexing: what a simple client sends for {@code GET https://localhost/}. */
    private static byte[] headerBlock() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x82);                                    // :method GET
        b.write(0x87);                                    // :scheme https
        b.write(0x84);                                    // :path /
        literal(b, 1, "localhost");                      // :authority
        literal(b, 58, "h2load nghttp2/1.52.0");          // user-agent
        literal(b, 19, "*/*");                            // accept
        return b.toByteArray();
    }

    private static void literal(ByteArrayOutputStream b, int nameIndex, String value) {
        if (nameIndex < 15) {
            b.write(nameIndex);
        } else {
            b.write(0x0f);
            b.write(nameIndex - 15);
        }
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        b.write(v.length);
        b.write(v, 0, v.length);
    }

    private static void writeFrameHeader(ByteBuf buf, int length, int type, int flags, int stream) {
        buf.writeMedium(length).writeByte(type).writeByte(flags).writeInt(stream);
    }

    /** Feeds one request stream, drains and releases the encoded response; returns its size. */
    @Benchmark
    public int exchange() {
        frame.clear();
        writeFrameHeader(frame, headerBlock.length, 0x1, 0x5, streamId);  // HEADERS, END_STREAM | END_HEADERS
        frame.writeBytes(headerBlock);
        streamId += 2;
        channel.writeInbound(frame.retain());
        channel.runPendingTasks();
        return drain();
    }

    private int drain() {
        int bytes = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            if (out instanceof ByteBuf buf) {
                bytes += buf.readableBytes();
            }
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        frame.release();
    }
}
