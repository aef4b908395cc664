package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.ProxyConfig;
import io.portcullis.config.UpstreamTlsConfig;
import io.portcullis.server.transport.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy over real sockets against real nginx, driven through {@link MiniFrontend} (plain HTTP/1.1). The TLS +
 * HTTP/2 matrix through the full server lives in {@code ProxyServerTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyHandlerTest {
    @RegisterExtension
    static NginxUpstream nginx = new NginxUpstream("a");
    @RegisterExtension
    static NginxUpstream nginxB = new NginxUpstream("b");

    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static TestCa ca;
    static TestCa otherCa;
    static NginxUpstream tlsNginx;

    @BeforeAll
    static void tls() throws Exception {
        ca = TestCa.create("proxy");
        otherCa = TestCa.create("other");
        tlsNginx = new NginxUpstream("tls").withTls(ca.serverChain, ca.serverKey);
        tlsNginx.start();
    }

    @AfterAll
    static void stopTls() throws Exception {
        tlsNginx.stop();
    }

    static ProxyConfig config(List<URI> upstreams) {
        return config(upstreams, ProxyConfig.Balance.ROUND_ROBIN, Duration.ofSeconds(10), 3, null);
    }

    static ProxyConfig config(List<URI> upstreams, ProxyConfig.Balance balance, Duration firstByte, int maxFails,
                              UpstreamTlsConfig tls) {
        return new ProxyConfig(upstreams, balance, Duration.ofSeconds(2), firstByte, Duration.ofSeconds(20), 8,
                maxFails, Duration.ofSeconds(30), tls == null ? new UpstreamTlsConfig(true, null, null) : tls);
    }

    /** A proxy handler behind a mini frontend; one event loop so pooled connections are visible across requests. */
    static final class Proxy implements AutoCloseable {
        final ProxyHandler handler;
        final MiniFrontend front;

        Proxy(ProxyConfig config) throws Exception {
            handler = new ProxyHandler(config, Transport.auto());
            front = new MiniFrontend(handler, Transport.auto(), 1);
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + front.port() + path);
        }

        HttpResponse<String> get(String path) throws Exception {
            return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() {
            front.close();
            handler.close();
        }
    }

    /** Sends a raw HTTP/1.1 request (so restricted headers can be set) and returns the whole response. */
    static String raw(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = RawServer.readHead(in);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : in.readAllBytes();
            return head + new String(body, StandardCharsets.UTF_8);
        }
    }

    @Test
    void proxiesGetAndLogsTheUpstream() throws Exception {
        try (Proxy p = new Proxy(config(List.of(nginx.uri())))) {
            HttpResponse<String> r = p.get("/hello");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from nginx\n");
            assertThat(r.headers().firstValue("server")).hasValueSatisfying(v -> assertThat(v).startsWith("nginx"));
            assertThat(p.front.lastLog).containsEntry("upstream", "127.0.0.1:" + nginx.port())
                    .containsEntry("upstream_status", "200");
            assertThat(p.get("/status/404").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void forwardsHeadersAndStripsHopByHop() throws Exception {
        try (Proxy p = new Proxy(config(List.of(nginx.uri())))) {
            String response = raw(p.front.port(), "GET /headers HTTP/1.1\r\nHost: app.example:8443\r\n"
                    + "X-Forwarded-For: 203.0.113.9\r\nConnection: close, X-Hop\r\nX-Hop: secret\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers, gzip\r\nProxy-Authorization: Basic eDp5\r\n"
                    + "X-Custom: kept\r\nCookie: a=1\r\n\r\n");
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            String[] f = body.split("\\|", -1);
            assertThat(f[0]).isEqualTo("203.0.113.9, 127.0.0.1");
            assertThat(f[1]).isEqualTo("for=127.0.0.1;proto=https;host=\"app.example:8443\"");
            assertThat(f[2]).isEqualTo("app.example:8443");
            assertThat(f[3]).isEqualTo("https");
            assertThat(f[4]).isEqualTo("app.example:8443");
            assertThat(f[5]).isEmpty(); // Connection (HttpClientCodec adds none for HTTP/1.1 keep-alive)
            assertThat(f[6]).isEmpty(); // Keep-Alive
            assertThat(f[7]).isEqualTo("trailers");
            assertThat(f[8]).isEmpty(); // Upgrade
            assertThat(f[9]).isEmpty(); // Proxy-Authorization
            assertThat(f[10]).isEqualTo("kept");
            assertThat(f[11]).isEmpty(); // X-Hop, named by Connection
            assertThat(f[13]).isEqualTo("a=1");
        }
    }

    @Test
    void streamsRequestBodiesBothWithLengthAndChunked() throws Exception {
        try (Proxy p = new Proxy(config(List.of(nginx.uri())))) {
            String text = "x".repeat(300_000);
            HttpResponse<String> put = client.send(HttpRequest.newBuilder(p.uri("/upload/fixed.txt"))
                    .PUT(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isIn(201, 204);
            assertThat(Files.readString(nginx.root().resolve("upload/fixed.txt"))).isEqualTo(text);

            HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(p.uri("/upload/chunked.txt"))
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            text.getBytes(StandardCharsets.US_ASCII)))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode()).isIn(201, 204);
            assertThat(Files.readString(nginx.root().resolve("upload/chunked.txt"))).isEqualTo(text);

            assertThat(p.get("/upload/fixed.txt").body()).isEqualTo(text);
        }
    }

    @Test
    void reusesKeepAliveConnectionsToTheUpstream() throws Exception {
        try (Proxy p = new Proxy(config(List.of(nginx.uri())))) {
            List<String> connections = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                connections.add(p.get("/conn").body());
            }
            assertThat(connections).hasSize(5).containsOnly(connections.get(0));
        }
    }

    @Test
    void roundRobinsAcrossUpstreams() throws Exception {
        try (Proxy p = new Proxy(config(List.of(nginx.uri(), nginxB.uri())))) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                names.add(p.get("/name").body());
            }
            assertThat(names).containsExactly("a", "b", "a", "b");
        }
    }

    @Test
    void leastConnAvoidsTheBusyUpstream() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (RawServer slow = RawServer.gated(gate, "slow");
             Proxy p = new Proxy(config(List.of(slow.uri(), nginxB.uri()), ProxyConfig.Balance.LEAST_CONN,
                     Duration.ofSeconds(20), 3, null))) {
            CompletableFuture<HttpResponse<String>> held = null;
            for (int i = 0; i < 3 && held == null; i++) {
                CompletableFuture<HttpResponse<String>> f = client.sendAsync(
                        HttpRequest.newBuilder(p.uri("/name")).build(), HttpResponse.BodyHandlers.ofString());
                try {
                    assertThat(f.get(1, TimeUnit.SECONDS).body()).isEqualTo("b");
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    held = f; // landed on the gated upstream
                }
            }
            assertThat(held).as("one request is held by the slow upstream").isNotNull();
            for (int i = 0; i < 6; i++) {
                assertThat(p.get("/name").body()).isEqualTo("b");
            }
            gate.countDown();
            assertThat(held.get(5, TimeUnit.SECONDS).body()).isEqualTo("slow");
        }
    }

    @Test
    void refusedUpstreamIs502() throws Exception {
        int dead = NginxUpstream.freePort();
        try (Proxy p = new Proxy(config(List.of(URI.create("http://127.0.0.1:" + dead))))) {
            assertThat(p.get("/x").statusCode()).isEqualTo(502);
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(p.uri("/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("body")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(502);
        }
    }

    @Test
    void silentUpstreamIs504AfterFirstByteTimeout() throws Exception {
        try (RawServer silent = RawServer.silent();
             Proxy p = new Proxy(config(List.of(silent.uri()), ProxyConfig.Balance.ROUND_ROBIN,
                     Duration.ofMillis(500), 3, null))) {
            long start = System.nanoTime();
            assertThat(p.get("/slow").statusCode()).isEqualTo(504);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void retriesGetOnConnectFailureAndThenSkipsTheFailedUpstream() throws Exception {
        int dead = NginxUpstream.freePort();
        try (Proxy p = new Proxy(config(List.of(URI.create("http://127.0.0.1:" + dead), nginx.uri()),
                ProxyConfig.Balance.ROUND_ROBIN, Duration.ofSeconds(10), 1, null))) {
            HttpResponse<String> first = p.get("/name"); // round robin starts at the dead one
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("a");
            assertThat(p.front.lastLog.get("upstream"))
                    .isEqualTo("127.0.0.1:" + dead + ", 127.0.0.1:" + nginx.port());
            for (int i = 0; i < 4; i++) {
                assertThat(p.get("/name").body()).isEqualTo("a");
                assertThat(p.front.lastLog.get("upstream")).isEqualTo("127.0.0.1:" + nginx.port());
            }
        }
    }

    @Test
    void postIsNotRetriedOnConnectFailure() throws Exception {
        int dead = NginxUpstream.freePort();
        try (Proxy p = new Proxy(config(List.of(URI.create("http://127.0.0.1:" + dead), nginx.uri())))) {
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(p.uri("/name"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(502);
        }
    }

    @Test
    void allUpstreamsOutStillTriesOne() throws Exception {
        int dead = NginxUpstream.freePort();
        try (Proxy p = new Proxy(config(List.of(URI.create("http://127.0.0.1:" + dead)),
                ProxyConfig.Balance.ROUND_ROBIN, Duration.ofSeconds(10), 1, null))) {
            assertThat(p.get("/x").statusCode()).isEqualTo(502);
            assertThat(p.get("/x").statusCode()).isEqualTo(502);
            assertThat(p.front.lastLog.get("upstream")).contains(":" + dead);
        }
    }

    @Test
    void staleKeepAliveConnectionIsRetriedForGet() throws Exception {
        try (RawServer flaky = RawServer.diesOnReuse(); Proxy p = new Proxy(config(List.of(flaky.uri())))) {
            assertThat(p.get("/1").body()).isEqualTo("conn 1");
            assertThat(p.get("/2").body()).isEqualTo("conn 2"); // conn 1 died on reuse; retried on a new one
            assertThat(flaky.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void httpsUpstreamWithVerification() throws Exception {
        URI byIp = tlsNginx.uri();
        URI byName = URI.create("https://localhost:" + tlsNginx.port());
        UpstreamTlsConfig trusted = new UpstreamTlsConfig(true, ca.caCert, null);
        try (Proxy p = new Proxy(config(List.of(byIp), ProxyConfig.Balance.ROUND_ROBIN, Duration.ofSeconds(5), 3, trusted))) {
            assertThat(p.get("/name").body()).isEqualTo("tls");
            assertThat(p.get("/conn").body()).isEqualTo(p.get("/conn").body()); // pooled TLS connection
        }
        try (Proxy p = new Proxy(config(List.of(byName), ProxyConfig.Balance.ROUND_ROBIN, Duration.ofSeconds(5), 3, trusted))) {
            assertThat(p.get("/name").body()).isEqualTo("tls");
        }
        UpstreamTlsConfig wrongName = new UpstreamTlsConfig(true, ca.caCert, "not-this-host.example");
        try (Proxy p = new Proxy(config(List.of(byIp), ProxyConfig.Balance.ROUND_ROBIN, Duration.ofSeconds(5), 3, wrongName))) {
            assertThat(p.get("/name").statusCode()).isEqualTo(502);
        }
        UpstreamTlsConfig wrongCa = new UpstreamTlsConfig(true, otherCa.caCert, null);
        try (Proxy p = new Proxy(config(List.of(byIp), ProxyConfig.Balance.ROUND_ROBIN, Duration.ofSeconds(5), 3, wrongCa))) {
            assertThat(p.get("/name").statusCode()).isEqualTo(502);
        }
        try (Proxy p = new Proxy(config(List.of(byIp)))) { // JDK trust store: the test CA is unknown
            assertThat(p.get("/name").statusCode()).isEqualTo(502);
        }
        UpstreamTlsConfig insecure = new UpstreamTlsConfig(false, null, null);
        try (Proxy p = new Proxy(config(List.of(byIp), ProxyConfig.Balance.ROUND_ROBIN, Duration.ofSeconds(5), 3, insecure))) {
            assertThat(p.get("/name").body()).isEqualTo("tls");
        }
    }

    @Test
    void relaysWebSocket() throws Exception {
        try (RawServer ws = RawServer.webSocketEcho(); Proxy p = new Proxy(config(List.of(ws.uri())))) {
            try (Socket s = new Socket("127.0.0.1", p.front.port())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String head = RawServer.readHead(in);
                assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
                assertThat(new String(in.readNBytes("hello-from-upstream".length()), StandardCharsets.US_ASCII))
                        .isEqualTo("hello-from-upstream");
                byte[] payload = new byte[200_000];
                new java.util.Random(1).nextBytes(payload);
                Thread writer = new Thread(() -> {
                    try {
                        out.write(payload);
                        out.flush();
                    } catch (Exception ignored) {
                        // checked by the reader
                    }
                });
                writer.start();
                assertThat(in.readNBytes(payload.length)).isEqualTo(payload);
                writer.join();
            }
            assertThat(p.front.lastLog).containsEntry("upstream_status", "101");
        }
    }

    @Test
    void clientGoneMidDownloadClosesTheUpstreamConnection() throws Exception {
        java.nio.file.Path file = nginx.root().resolve("files/abort.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(200L << 20);
        }
        try (Proxy p = new Proxy(config(List.of(nginx.uri())))) {
            try (Socket s = new Socket("127.0.0.1", p.front.port())) {
                s.getOutputStream().write("GET /files/abort.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().readNBytes(1 << 20);
            }
            Upstream u = p.handler.upstreams().get(0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (u.inFlight() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(u.inFlight()).isZero();
            assertThat(p.get("/hello").statusCode()).isEqualTo(200);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
