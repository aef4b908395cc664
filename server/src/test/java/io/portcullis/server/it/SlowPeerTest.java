package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawH2;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that ask for a large response and then stop taking it: HTTP/1.1 that never reads the socket, HTTP/2 that
 * announces a zero stream window and never updates it. Both would hold a connection (and a file, and buffers) for
 * ever; the server gives up after {@code limits.idle_timeout} without progress, and serves everyone else meanwhile.
 */
class SlowPeerTest {
    private static final long BIG = 32L * 1024 * 1024;
    private static final Path ROOT = files();

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            limits: {idle_timeout: 2s}
            sites:
              - hosts: [localhost]
                routes:
                  - {path: /files/*, static: {root: "%s", strip_prefix: /files}}
                  - respond: "ok"
            """.formatted(ROOT)).withBystander("/", 200);

    private static Path files() {
        try {
            Path dir = Files.createTempDirectory("slow-peer-");
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve("big.bin").toFile(), "rw")) {
                f.setLength(BIG);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        Files.deleteIfExists(ROOT.resolve("big.bin"));
        Files.deleteIfExists(ROOT);
    }

    @Test
    void http1ClientThatNeverReadsIsClosedAfterTheTimeout() throws Exception {
        try (SSLSocket s = (SSLSocket) server.sslContext().getSocketFactory().createSocket()) {
            s.setReceiveBufferSize(8192); // no autotuning: the stall starts after a few hundred KiB at most
            s.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 5000);
            SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[]{"http/1.1"});
            p.setServerNames(List.of(new SNIHostName("localhost")));
            s.setSSLParameters(p);
            s.startHandshake();
            s.getOutputStream().write("GET /files/big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
            s.getOutputStream().flush();
            Thread.sleep(6000); // the timeout is 2 s

            // Now read what the kernel buffers still hold: the server must have given up long before 32 MiB.
            s.setSoTimeout(5000);
            long read = 0;
            boolean ended;
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            try {
                int n;
                while ((n = in.read(buf)) != -1) {
                    read += n;
                }
                ended = true;
            } catch (SocketTimeoutException e) {
                ended = false;
            } catch (IOException e) {
                ended = true; // reset
            }
            assertThat(ended).as("connection closed by the server (read %d bytes)", read).isTrue();
            assertThat(read).isLessThan(BIG);
        }
        assertThat(server.auditLine("\"event\":\"send_timeout\"", "\"protocol\":\"HTTP/1.1\"")).contains("127.0.0.1");
    }

    @Test
    void http2StreamsStalledByAZeroWindowAreResetAfterTheTimeout() throws Exception {
        // SETTINGS_INITIAL_WINDOW_SIZE = 0: the server may send no DATA on any stream until a WINDOW_UPDATE, which
        // this client never sends. It keeps the connection busy with PINGs.
        try (SSLSocket s = RawH2.connect(server, RawH2.setting(0x4, 0))) {
            DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
            s.getOutputStream().write(RawH2.frame(RawH2.HEADERS, 0x5, 1, RawH2.get(encoder, 1, "/files/big.bin")));
            s.getOutputStream().write(RawH2.frame(RawH2.HEADERS, 0x5, 3, RawH2.get(encoder, 3, "/")));
            s.setSoTimeout(500);
            long start = System.nanoTime();
            Map<Integer, Long> resetAfterMillis = new HashMap<>();
            boolean closed = false;
            while (System.nanoTime() - start < 15_000_000_000L && resetAfterMillis.size() < 2 && !closed) {
                RawH2.Frame f;
                try {
                    f = RawH2.read(s.getInputStream());
                } catch (SocketTimeoutException e) {
                    s.getOutputStream().write(RawH2.frame(RawH2.PING, 0, 0, new byte[8]));
                    continue;
                } catch (IOException e) {
                    f = null;
                }
                if (f == null || f.type() == RawH2.GOAWAY) {
                    closed = true;
                } else if (f.type() == RawH2.SETTINGS && (f.flags() & 0x1) == 0) {
                    s.getOutputStream().write(RawH2.frame(RawH2.SETTINGS, 0x1, 0, new byte[0]));
                } else if (f.type() == RawH2.DATA && f.payload().length > 0) {
                    throw new AssertionError("DATA sent into a zero window on stream " + f.stream());
                } else if (f.type() == RawH2.RST_STREAM) {
                    resetAfterMillis.put(f.stream(), (System.nanoTime() - start) / 1_000_000);
                }
            }
            assertThat(closed || resetAfterMillis.size() == 2).as("both stalled streams ended: " + resetAfterMillis)
                    .isTrue();
            assertThat(resetAfterMillis.values()).allSatisfy(ms -> assertThat(ms).isBetween(1500L, 10_000L));
        }
        assertThat(server.auditLine("\"event\":\"send_timeout\"", "\"protocol\":\"HTTP/2.0\"")).contains("127.0.0.1");
    }
}
