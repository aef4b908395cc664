package io.portcullis.server.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tiny socket-level upstreams for cases nginx cannot play: silence, a held response, a keep-alive connection that
 * dies on reuse, and a WebSocket echo. One thread per connection; test use only.
 */
final class RawServer implements AutoCloseable {
    interface ConnectionScript {
        void run(Socket s, int connectionNumber) throws Exception;
    }

    private final ServerSocket server;
    final AtomicInteger connections = new AtomicInteger();

    RawServer(ConnectionScript script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    int n = connections.incrementAndGet();
                    Thread t = new Thread(() -> {
                        try (s) {
                            script.run(s, n);
                        } catch (Exception ignored) {
                            // the peer went away
                        }
                    }, "raw-upstream-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    java.net.URI uri() {
        return java.net.URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Accepts and never answers (first-byte timeout). */
    static RawServer silent() throws IOException {
        return new RawServer((s, n) -> {
            readHead(s.getInputStream());
            Thread.sleep(60_000);
        });
    }

    /** Answers every request on a connection with {@code body} after {@code gate} opens. */
    static RawServer gated(java.util.concurrent.CountDownLatch gate, String body) throws IOException {
        return new RawServer((s, n) -> {
            while (readHead(s.getInputStream()) != null) {
                gate.await();
                respond(s.getOutputStream(), body);
            }
        });
    }

    /** Answers the first request of each connection keep-alive, then closes the connection on the second one. */
    static RawServer diesOnReuse() throws IOException {
        return new RawServer((s, n) -> {
            if (readHead(s.getInputStream()) == null) {
                return;
            }
            respond(s.getOutputStream(), "conn " + n);
            readHead(s.getInputStream()); // the reuse: close without a byte
        });
    }

    /** Completes a WebSocket handshake with a fixed accept key, then echoes every byte. */
    static RawServer webSocketEcho() throws IOException {
        return new RawServer((s, n) -> {
            String head = readHead(s.getInputStream());
            if (head == null || !head.toLowerCase().contains("upgrade: websocket")) {
                return;
            }
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\nhello-from-upstream")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int r;
            while ((r = in.read(buf)) > 0) {
                out.write(buf, 0, r);
                out.flush();
            }
        });
    }

    static void respond(OutputStream out, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + b.length + "\r\nContent-Type: text/plain\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    /** Reads a request head (no body); null at end of stream. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (c == '\r' ? 1 : 0);
            if (state == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }
}
