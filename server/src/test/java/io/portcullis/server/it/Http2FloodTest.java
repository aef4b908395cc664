package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawH2;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/2 attacks with hand-written frames: rapid reset (CVE-2023-44487), CONTINUATION flood, SETTINGS and PING
 * floods. Each attacking connection must be cut off, and a well-behaved client is served throughout. About 20 s.
 */
@Tag("slow")
class Http2FloodTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites: [{hosts: [localhost], routes: [{respond: "ok"}]}]
            """).withBystander("/", 200);

    /** A TLS connection with ALPN h2 that has sent the preface and an empty SETTINGS frame. */
    private static SSLSocket h2() throws Exception {
        return RawH2.connect(server, new byte[0]);
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        return RawH2.frame(type, flags, stream, payload);
    }

    /** Reads (and discards) everything the server sends, in the background; tells when the server closed. */
    private static final class Drain extends Thread {
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicLong bytes = new AtomicLong();
        private final InputStream in;

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] buf = new byte[16384];
            try {
                int n;
                while ((n = in.read(buf)) != -1) {
                    bytes.addAndGet(n);
                }
            } catch (IOException ignored) {
                // reset counts as closed
            }
            closed.set(true);
        }

        boolean awaitClosed(long millis) throws InterruptedException {
            join(millis);
            return closed.get();
        }
    }

    /** Writes until the server closes the connection or {@code max} frames were sent; returns frames written. */
    private static int flood(SSLSocket s, java.util.function.IntFunction<byte[]> nextFrames, int max) {
        int sent = 0;
        try {
            OutputStream out = s.getOutputStream();
            for (; sent < max; sent++) {
                out.write(nextFrames.apply(sent));
            }
            out.flush();
        } catch (IOException e) {
            // the server cut us off: what the test wants
        }
        return sent;
    }

    @Test
    void rapidResetIsCutOff() throws Exception {
        try (SSLSocket s = h2()) {
            Drain drain = new Drain(s.getInputStream());
            DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
            byte[] cancel = {0, 0, 0, 8};
            flood(s, i -> {
                int stream = 1 + 2 * i;
                try {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    b.writeBytes(frame(0x1, 0x4 | 0x1, stream, RawH2.get(encoder, stream, "/")));
                    b.writeBytes(frame(0x3, 0, stream, cancel));
                    return b.toByteArray();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 20_000);
            assertThat(drain.awaitClosed(10_000)).as("server closed the rapid-reset connection").isTrue();
        }
    }

    @Test
    void continuationFloodIsCutOff() throws Exception {
        try (SSLSocket s = h2()) {
            Drain drain = new Drain(s.getInputStream());
            DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
            byte[] first = RawH2.get(encoder, 1, "/");
            byte[] junk = new byte[1024];
            java.util.Arrays.fill(junk, (byte) 0x40); // literal header field with new name, never finished
            flood(s, i -> i == 0 ? frame(0x1, 0, 1, first) : frame(0x9, 0, 1, junk), 100_000);
            assertThat(drain.awaitClosed(10_000)).as("server closed the CONTINUATION flood").isTrue();
        }
    }

    @Test
    void settingsAndPingFloodsFromANonReadingClientAreCutOff() throws Exception {
        for (int type : new int[]{0x4, 0x6}) {
            try (SSLSocket s = h2()) {
                byte[] payload = type == 0x6 ? new byte[8] : new byte[0];
                // Each frame obliges the server to queue an ACK; this client never reads them (CVE-2019-9512/9515),
                // so the server must stop the queue from growing by closing the connection.
                Thread flooder = new Thread(() -> flood(s, i -> frame(type, 0, 0, payload), 2_000_000));
                flooder.setDaemon(true);
                flooder.start();
                flooder.join(20_000);
                Drain drain = new Drain(s.getInputStream());
                assertThat(drain.awaitClosed(15_000)).as("flood of frame type " + type + " closed").isTrue();
            }
        }
    }
}
