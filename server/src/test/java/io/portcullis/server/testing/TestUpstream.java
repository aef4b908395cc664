package io.portcullis.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny plain-HTTP upstream for {@code proxy} routes, so that tests have a handler that really reads request bodies:
 * {@code /echo...} reads the whole body and answers {@code "read N bytes"}; {@code /chunked...} answers the same without a Content-Length; {@code /header/NAME} answers the values of request header NAME (or {@code (none)}); {@code /slow...} waits
 * {@link #slowMillis} before answering (and counts down {@link #slowArrived} when the request arrives).
 */
public final class TestUpstream implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger bodiesRead = new AtomicInteger();
    public volatile long slowMillis = 1500;
    public volatile CountDownLatch slowArrived = new CountDownLatch(1);

    private TestUpstream(HttpServer server) {
        this.server = server;
    }

    public static TestUpstream start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            TestUpstream u = new TestUpstream(s);
            s.createContext("/", u::handle);
            s.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-upstream");
                t.setDaemon(true);
                return t;
            }));
            s.start();
            return u;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        long n = 0;
        try (InputStream in = ex.getRequestBody()) {
            byte[] buf = new byte[8192];
            int r;
            while ((r = in.read(buf)) != -1) {
                n += r;
            }
        }
        bodiesRead.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        if (path.startsWith("/slow")) {
            slowArrived.countDown();
            try {
                Thread.sleep(slowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String text = "read " + n + " bytes";
        if (path.startsWith("/header/")) {
            // /header/NAME: the values of request header NAME as the upstream received them
            java.util.List<String> values = ex.getRequestHeaders().get(path.substring("/header/".length()));
            text = values == null ? "(none)" : String.join(" | ", values);
        }
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        // /chunked...: a response without Content-Length (chunked to the proxy)
        ex.sendResponseHeaders(200, path.startsWith("/chunked") ? 0 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many requests had their body read to the end. */
    public int bodiesRead() {
        return bodiesRead.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
