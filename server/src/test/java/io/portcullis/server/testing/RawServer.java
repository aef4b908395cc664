package io.portcullis.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tiny socket-level plain-HTTP upstreams for the cases nginx cannot play: silence, a held response, a stall after the
 * head, a keep-alive connection that dies on reuse, an endless body, hop-by-hop response headers and a WebSocket
 * echo. One thread per connection; test use only. {@link #connections} counts accepted connections,
 * {@link #requests} request heads read, {@link #peerClosed} connections the proxy closed on us.
 */
public final class RawServer implements AutoCloseable {
    /** What one accepted connection does; the socket is closed when it returns or throws. */
    public interface ConnectionScript {
        void run(RawServer server, Socket s, int connectionNumber) throws Exception;
    }

    private final ServerSocket server;
    public final AtomicInteger connections = new AtomicInteger();
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger peerClosed = new AtomicInteger();

    public RawServer(ConnectionScript script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    int n = connections.incrementAndGet();
                    Thread t = new Thread(() -> {
                        try (s) {
                            script.run(this, s, n);
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

    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:port}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Reads a request head and counts it; null at end of stream. */
    public String readRequest(Socket s) throws IOException {
        String head = readHead(s.getInputStream());
        if (head != null) {
            requests.incrementAndGet();
        }
        return head;
    }

    /** Blocks until the peer closes the connection (or sends something), then counts a close. */
    public void awaitPeerClose(Socket s) throws IOException {
        try {
            while (s.getInputStream().read() >= 0) {
                // discard
            }
        } finally {
            peerClosed.incrementAndGet();
        }
    }

    /** Accepts and never answers (first-byte timeout); holds the connection until the proxy closes it. */
    public static RawServer silent() throws IOException {
        return new RawServer((srv, s, n) -> {
            srv.readRequest(s);
            srv.awaitPeerClose(s);
        });
    }

    /**
     * Answers every request on a keep-alive connection after the delay its query names ({@code ?head_after_ms=N},
     * none when absent): an upstream whose response head takes a different time per request.
     */
    public static RawServer headAfterQueryDelay() throws IOException {
        return new RawServer((srv, s, n) -> {
            String head;
            while ((head = srv.readRequest(s)) != null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]head_after_ms=(\\d+)")
                        .matcher(head.substring(0, head.indexOf('\r')));
                if (m.find()) {
                    Thread.sleep(Long.parseLong(m.group(1)));
                }
                respond(s.getOutputStream(), "conn " + n);
            }
        });
    }

    /** Answers every request on a connection with {@code body} after {@code gate} opens. */
    public static RawServer gated(CountDownLatch gate, String body) throws IOException {
        return new RawServer((srv, s, n) -> {
            while (srv.readRequest(s) != null) {
                gate.await();
                respond(s.getOutputStream(), body);
            }
        });
    }

    /** Answers the first request of each connection keep-alive, then closes the connection on the second one. */
    public static RawServer diesOnReuse() throws IOException {
        return new RawServer((srv, s, n) -> {
            if (srv.readRequest(s) == null) {
                return;
            }
            respond(s.getOutputStream(), "conn " + n);
            srv.readRequest(s); // the reuse: close without a byte
        });
    }

    /** Reads the request head, waits {@code delayMillis}, then closes without a byte (a failing upstream). */
    public static RawServer closesAfterHead(long delayMillis) throws IOException {
        return new RawServer((srv, s, n) -> {
            srv.readRequest(s);
            Thread.sleep(delayMillis);
        });
    }

    /**
     * Sends a 200 head announcing {@code declaredLength} bytes, then {@code sentBytes} of them, then nothing: the
     * idle timeout mid-response. Holds the connection until the proxy closes it.
     */
    public static RawServer stallsAfterHead(int declaredLength, int sentBytes) throws IOException {
        return new RawServer((srv, s, n) -> {
            srv.readRequest(s);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + declaredLength + "\r\nContent-Type: application/octet-stream"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[sentBytes]);
            out.flush();
            srv.awaitPeerClose(s);
        });
    }

    /** Sends the head of a {@code body}-long response at once and the body {@code delayMillis} later (a slow origin). */
    public static RawServer bodyAfter(long delayMillis, String body) throws IOException {
        return new RawServer((srv, s, n) -> {
            while (srv.readRequest(s) != null) {
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nContent-Type: text/plain\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(delayMillis);
                out.write(body.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        });
    }

    /** A chunked body that never ends, 16 KiB at a time, until a write fails (the proxy closed the connection). */
    public static RawServer endless() throws IOException {
        return new RawServer((srv, s, n) -> {
            srv.readRequest(s);
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("4000\r\n" + "z".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                while (true) {
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException closed) {
                srv.peerClosed.incrementAndGet();
            }
        });
    }

    /**
     * Answers every request on a keep-alive connection with exactly {@code rawResponse} (status line to body); counts
     * a close when the proxy closes the connection.
     */
    public static RawServer fixed(String rawResponse) throws IOException {
        return new RawServer((srv, s, n) -> {
            while (srv.readRequest(s) != null) {
                s.getOutputStream().write(rawResponse.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
            srv.peerClosed.incrementAndGet();
        });
    }

    /**
     * A WebSocket server: a valid handshake ({@code Sec-WebSocket-Accept} computed from the key), then a text frame
     * {@code "hello-from-upstream"} sent at once (bytes right behind the 101), then every data frame echoed back
     * unmasked with the same opcode, pings answered, a close echoed. A request that is no WebSocket handshake gets
     * {@code 426 Upgrade Required}, as real WebSocket servers answer.
     */
    public static RawServer webSocketEcho() throws IOException {
        return new RawServer((srv, s, n) -> {
            String head;
            while ((head = srv.readRequest(s)) != null) {
                String key = header(head, "sec-websocket-key");
                OutputStream out = s.getOutputStream();
                if (key == null || !"websocket".equalsIgnoreCase(header(head, "upgrade"))) {
                    out.write(("HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nContent-Length: 12\r\n"
                            + "Content-Type: text/plain\r\n\r\nnot upgraded").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + WebSocketFrames.accept(key) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                WebSocketFrames.write(out, WebSocketFrames.TEXT, "hello-from-upstream".getBytes(StandardCharsets.UTF_8),
                        false);
                InputStream in = s.getInputStream();
                WebSocketFrames.Frame f;
                while ((f = WebSocketFrames.read(in)) != null) {
                    if (f.opcode() == WebSocketFrames.PING) {
                        WebSocketFrames.write(out, WebSocketFrames.PONG, f.payload(), false);
                    } else {
                        WebSocketFrames.write(out, f.opcode(), f.payload(), false);
                        if (f.opcode() == WebSocketFrames.CLOSE) {
                            return;
                        }
                    }
                }
                srv.peerClosed.incrementAndGet();
                return;
            }
        });
    }

    /** The first value of a header in a raw head, or null. */
    public static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Writes a 200 keep-alive response with a text body. */
    public static void respond(OutputStream out, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + b.length + "\r\nContent-Type: text/plain\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    /** Reads a message head up to and including the empty line (no body); null at end of stream. */
    public static String readHead(InputStream in) throws IOException {
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

    static String sha1Base64(String s) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
