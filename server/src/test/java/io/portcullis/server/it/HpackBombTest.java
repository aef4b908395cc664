package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawH2;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HPACK bombs: a header block of a few KiB that decompresses to megabytes or gigabytes, by putting one large header
 * in the dynamic table and then naming it with one-byte references. The server must stop decoding at
 * {@code limits.max_header} (431 for the stream, or the connection closed), keep its memory, and serve others.
 */
class HpackBombTest {
    /** Size of the header value put into the dynamic table (which holds 4096 bytes by default). */
    private static final int VALUE = 4000;

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites: [{hosts: [localhost], routes: [{respond: "ok"}]}]
            """).withBystander("/", 200);

    /**
     * The request's pseudo-headers, then {@code x-bomb: aaaa...} with incremental indexing (dynamic index 62), then
     * {@code refs} one-byte references to it.
     */
    private static byte[] bombBlock(int refs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x82); // :method GET
        b.write(0x87); // :scheme https
        b.write(0x84); // :path /
        b.write(0x01); // :authority, literal without indexing, indexed name 1
        b.write(9);
        b.writeBytes("localhost".getBytes(StandardCharsets.US_ASCII));
        b.write(0x40); // literal with incremental indexing, new name
        b.write(6);
        b.writeBytes("x-bomb".getBytes(StandardCharsets.US_ASCII));
        b.write(0x7f); // value length 4000: 127 + 3873 (0x21 | 0x80, 30)
        b.write(0xa1);
        b.write(0x1e);
        b.writeBytes("a".repeat(VALUE).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < refs; i++) {
            b.write(0x80 | 62); // indexed header field: the x-bomb entry
        }
        return b.toByteArray();
    }

    private record Outcome(int status, boolean reset, boolean goAway, boolean closed, long millis) {
    }

    /** Reads until the server answers stream 1 (status), resets it, sends GOAWAY or closes; at most 20 s. */
    private static Outcome await(SSLSocket s) throws Exception {
        long start = System.nanoTime();
        s.setSoTimeout(20_000);
        DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
        while (true) {
            RawH2.Frame f;
            try {
                f = RawH2.read(s.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer to the bomb within 20 s");
            } catch (IOException e) {
                f = null;
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (f == null) {
                return new Outcome(0, false, false, true, ms);
            }
            if (f.type() == RawH2.GOAWAY) {
                return new Outcome(0, false, true, false, ms);
            }
            if (f.type() == RawH2.RST_STREAM && f.stream() == 1) {
                return new Outcome(0, true, false, false, ms);
            }
            if (f.type() == RawH2.SETTINGS && (f.flags() & 0x1) == 0) {
                try {
                    s.getOutputStream().write(RawH2.frame(RawH2.SETTINGS, 0x1, 0, new byte[0]));
                } catch (IOException e) {
                    return new Outcome(0, false, false, true, ms);
                }
            }
            if (f.type() == RawH2.HEADERS && f.stream() == 1) {
                Http2Headers h = decoder.decodeHeaders(1, Unpooled.wrappedBuffer(f.payload()));
                return new Outcome(Integer.parseInt(h.status().toString()), false, false, false, ms);
            }
        }
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void oneFrameExpandingToEightMegabytesIsRefused() throws Exception {
        try (SSLSocket s = RawH2.connect(server, new byte[0])) {
            // 2000 references: a 6 KiB frame that decodes to 8 MB of headers, 500 times max_header.
            s.getOutputStream().write(RawH2.frame(RawH2.HEADERS, 0x5, 1, bombBlock(2000)));
            Outcome o = await(s);
            assertThat(o.status() == 431 || o.reset() || o.goAway() || o.closed()).as(o.toString()).isTrue();
            assertThat(o.status()).as("never answered as a normal request").isNotEqualTo(200);
        }
        assertThat(server.httpClient(java.net.http.HttpClient.Version.HTTP_2).send(
                java.net.http.HttpRequest.newBuilder(server.uri("/")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
    }

    @Test
    void continuationFramesExpandingToGigabytesAreCutOffWithBoundedMemory() throws Exception {
        long before = heapUsedAfterGc();
        try (SSLSocket s = RawH2.connect(server, new byte[0])) {
            OutputStream out = s.getOutputStream();
            // HEADERS without END_HEADERS, then CONTINUATION frames of 16000 references each: every frame decodes to
            // 64 MB; 200 of them to 12.8 GB, far beyond the heap.
            out.write(RawH2.frame(RawH2.HEADERS, 0x1, 1, bombBlock(0)));
            byte[] refs = new byte[16_000];
            java.util.Arrays.fill(refs, (byte) (0x80 | 62));
            try {
                for (int i = 0; i < 200; i++) {
                    out.write(RawH2.frame(RawH2.CONTINUATION, i == 199 ? 0x4 : 0, 1, refs));
                }
                out.flush();
            } catch (IOException e) {
                // cut off while sending: what the test wants
            }
            Outcome o = await(s);
            assertThat(o.status()).as(o.toString()).isNotEqualTo(200);
            assertThat(o.status() == 431 || o.reset() || o.goAway() || o.closed()).as(o.toString()).isTrue();
        }
        assertThat(server.auditLine("\"event\":\"protocol_error\"", "\"protocol\":\"HTTP/2.0\""))
                .contains("127.0.0.1").containsIgnoringCase("header");
        long grown = heapUsedAfterGc() - before;
        assertThat(grown).as("heap growth in bytes").isLessThan(64L * 1024 * 1024);
    }
}
