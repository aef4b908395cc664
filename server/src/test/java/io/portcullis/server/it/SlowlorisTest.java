package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients: a request head that does not complete within {@code header_timeout} gets 408 and the connection is
 * closed, however the bytes trickle in; a keep-alive connection that sends nothing is closed silently after
 * {@code idle_timeout}; a TCP connection that never starts TLS is dropped. Other clients are served throughout.
 */
@Tag("slow")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowlorisTest {
    private static final long HEADER_TIMEOUT_MS = 1000;
    private static final long IDLE_TIMEOUT_MS = 2000;

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            limits: {header_timeout: 1s, idle_timeout: 2s}
            sites:
              - hosts: [localhost]
                routes:
                  - respond: {status: 200, body: "ok"}
            """).withBystander("/", 200);

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void partialHeadThenSilenceIs408AndClose() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(6000);
            long start = System.nanoTime();
            c.write("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
            List<RawResponse> rs = c.readUntilClosed();
            long took = millisSince(start);
            assertThat(rs).hasSize(1);
            assertThat(rs.get(0).status()).isEqualTo(408);
            assertThat(rs.get(0).header("connection")).hasValue("close");
            assertThat(rs.get(0).header("date")).as("RFC 9110 6.6.1: Date on a 4xx").isPresent();
            assertThat(took).isBetween(HEADER_TIMEOUT_MS - 100, HEADER_TIMEOUT_MS + 1500);
        }
    }

    @Test
    void tricklingHeadIsCutOffAtTheHeaderTimeoutNotReset() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(8000);
            long start = System.nanoTime();
            c.write("GET / HTTP/1.1\r\nHost: localhost\r\n");
            Thread trickler = trickle(() -> {
                c.write("X");
                return null;
            }, 150);
            try {
                List<RawResponse> rs = c.readUntilClosed();
                long took = millisSince(start);
                assertThat(rs).hasSize(1);
                assertThat(rs.get(0).status()).isEqualTo(408);
                assertThat(took).isBetween(HEADER_TIMEOUT_MS - 100, HEADER_TIMEOUT_MS + 1500);
            } finally {
                trickler.interrupt();
            }
        }
    }

    @Test
    void headTimeoutAlsoAppliesToTheSecondRequestOfAConnection() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(6000);
            c.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            long start = System.nanoTime();
            c.write("GET / HTTP/1.1\r\nHost: loc");
            List<RawResponse> rs = c.readUntilClosed();
            assertThat(rs).extracting(RawResponse::status).containsExactly(408);
            assertThat(millisSince(start)).isBetween(HEADER_TIMEOUT_MS - 100, HEADER_TIMEOUT_MS + 1500);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedSilentlyAfterTheIdleTimeout() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(8000);
            c.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            long start = System.nanoTime();
            byte[] rest = c.readToEnd();
            long took = millisSince(start);
            assertThat(new String(rest, StandardCharsets.ISO_8859_1)).as("no 408 for an idle connection").isEmpty();
            assertThat(took).isBetween(IDLE_TIMEOUT_MS - 100, IDLE_TIMEOUT_MS + 1500);
        }
    }

    @Test
    void freshTlsConnectionWithoutARequestIsClosedSilentlyAfterTheIdleTimeout() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(8000);
            long start = System.nanoTime();
            byte[] rest = c.readToEnd();
            assertThat(rest).isEmpty();
            assertThat(millisSince(start)).isBetween(IDLE_TIMEOUT_MS - 100, IDLE_TIMEOUT_MS + 1500);
        }
    }

    @Test
    void tcpConnectionThatNeverStartsTlsIsDroppedAfterTheHeaderTimeout() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 5000);
            s.setSoTimeout(8000);
            long start = System.nanoTime();
            int b;
            try (InputStream in = s.getInputStream()) {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("connection without a handshake still open after 8 s");
            } catch (IOException reset) {
                b = -1;
            }
            assertThat(b).isEqualTo(-1);
            assertThat(millisSince(start)).isBetween(HEADER_TIMEOUT_MS - 100, HEADER_TIMEOUT_MS + 1500);
        }
    }

    @Test
    void tricklingTlsHandshakeIsCutOffAtTheHeaderTimeout() throws Exception {
        // A ClientHello record header announcing 512 bytes, then one byte at a time.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 5000);
            s.setSoTimeout(8000);
            long start = System.nanoTime();
            s.getOutputStream().write(new byte[]{0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
            Thread trickler = trickle(() -> {
                s.getOutputStream().write(0);
                return null;
            }, 150);
            try (InputStream in = s.getInputStream()) {
                int b;
                try {
                    while ((b = in.read()) != -1) {
                        // alert bytes are fine
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("trickled handshake still open after 8 s");
                } catch (IOException reset) {
                    // closed
                }
                assertThat(millisSince(start)).isLessThan(HEADER_TIMEOUT_MS + 1500);
            } finally {
                trickler.interrupt();
            }
        }
    }

    @Test
    void tricklingHeadOnTheHttpRedirectListenerIsCutOffToo() throws Exception {
        // Port 80 is as exposed as 443: the same header timeout must bound a request head there.
        try (RawConnection c = RawConnection.plain(server.httpPort())) {
            c.timeoutMillis(8000);
            long start = System.nanoTime();
            c.write("GET / HTTP/1.1\r\nHost: example.com\r\n");
            Thread trickler = trickle(() -> {
                c.write("X");
                return null;
            }, 150);
            try {
                List<RawResponse> rs;
                try {
                    rs = c.readUntilClosed();
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("trickling request head on the http listener still open after 8 s");
                }
                assertThat(millisSince(start)).isLessThan(HEADER_TIMEOUT_MS + 1500);
                assertThat(rs).extracting(RawResponse::status).isSubsetOf(408);
            } finally {
                trickler.interrupt();
            }
        }
    }

    @Test
    void idleConnectionOnTheHttpRedirectListenerIsClosed() throws Exception {
        try (RawConnection c = RawConnection.plain(server.httpPort())) {
            c.timeoutMillis(8000);
            long start = System.nanoTime();
            assertThat(c.readToEnd()).isEmpty();
            assertThat(millisSince(start)).isLessThan(IDLE_TIMEOUT_MS + 1500);
        }
    }

    interface IoAction {
        Void run() throws IOException;
    }

    /** Repeats {@code action} every {@code everyMillis} on a daemon thread until interrupted or the write fails. */
    private static Thread trickle(IoAction action, long everyMillis) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(everyMillis);
                    action.run();
                }
            } catch (InterruptedException | IOException e) {
                // done
            }
        }, "trickler");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
