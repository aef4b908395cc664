package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.NginxUpstream;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import io.portcullis.server.testing.RawServer;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proxy inside the real server (TLS, HTTP/1.1 and HTTP/2 from the client) in front of real nginx: the happy
 * paths, headers, bodies, pooling and the access log. Failures and timeouts are in {@link ProxyFailureServerTest},
 * WebSocket in {@link ProxyWebSocketServerTest}, https upstreams in {@link ProxyTlsUpstreamServerTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyServerTest {
    private static final long GIB = 1L << 30;

    @RegisterExtension
    @Order(1)
    static NginxUpstream nginx = new NginxUpstream("a");
    @RegisterExtension
    @Order(1)
    static NginxUpstream nginxB = new NginxUpstream("b");

    /** Answers with every kind of hop-by-hop header next to an end-to-end one. */
    static final RawServer hopByHop = start(() -> RawServer.fixed("HTTP/1.1 200 OK\r\nConnection: X-Resp-Hop\r\n"
            + "X-Resp-Hop: secret\r\nKeep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\nUpgrade: foo/1\r\n"
            + "Proxy-Connection: keep-alive\r\nX-End: kept\r\nContent-Length: 2\r\n\r\nok"));
    /** A body that never ends: tells whether the proxy closes the upstream connection when the client leaves. */
    static final RawServer endless = start(RawServer::endless);

    @RegisterExtension
    @Order(2)
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                routes:
            %3$s
                  - path: /keep/*
                    proxy: {upstreams: ["%1$s"]}
                  - path: /hop/*
                    proxy: {upstreams: ["%4$s"]}
                  - path: /gone/*
                    proxy: {upstreams: ["%5$s"]}
                  - path: /upload/*
                    max_body: 2GiB
                    proxy: {upstreams: ["%1$s"]}
                  - proxy: {upstreams: ["%1$s"], first_byte_timeout: 5s}
            """.formatted(nginx.uri(), nginxB.uri(), ProxyTesting.perVersion("""
                  - path: /rr-%V/*
                    proxy: {upstreams: ["NGINX_A", "NGINX_B"]}
            """).replace("NGINX_A", nginx.uri().toString()).replace("NGINX_B", nginxB.uri().toString()),
                    hopByHop.uri(), endless.uri()));

    interface IoSupplier<T> {
        T get() throws Exception;
    }

    static <T> T start(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void stopRawServers() throws Exception {
        hopByHop.close();
        endless.close();
    }

    private static HttpResponse<String> get(Version v, String path) throws Exception {
        return server.httpClient(v).send(HttpRequest.newBuilder(server.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void proxiesGet(Version v) throws Exception {
        HttpResponse<String> r = get(v, "/hello");
        assertThat(r.version()).isEqualTo(v);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from nginx\n");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void forwardingHeaders(Version v) throws Exception {
        HttpResponse<String> r = server.httpClient(v).send(HttpRequest.newBuilder(server.uri("/headers"))
                .header("X-Forwarded-For", "198.51.100.1").header("X-Custom", "c").header("Cookie", "a=1").build(),
                HttpResponse.BodyHandlers.ofString());
        String[] f = r.body().split("\\|", -1);
        String authority = "localhost:" + server.httpsPort();
        assertThat(f[0]).isEqualTo("198.51.100.1, 127.0.0.1");
        assertThat(f[1]).isEqualTo("for=127.0.0.1;proto=https;host=\"" + authority + "\"");
        assertThat(f[2]).isEqualTo(authority);
        assertThat(f[3]).isEqualTo("https");
        assertThat(f[4]).isEqualTo(authority);
        assertThat(f[10]).isEqualTo("c");
        assertThat(f[13]).isEqualTo("a=1");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void postBodyWithAndWithoutLength(Version v) throws Exception {
        String text = "body-" + v + "-" + "y".repeat(100_000);
        HttpResponse<String> put = server.httpClient(v).send(HttpRequest.newBuilder(server.uri("/upload/" + v + ".txt"))
                .PUT(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(() -> NginxUpstream.errorLogText(nginx)).isIn(201, 204);
        assertThat(Files.readString(nginx.root().resolve("upload/" + v + ".txt"))).isEqualTo(text);
        HttpResponse<String> chunked = server.httpClient(v).send(
                HttpRequest.newBuilder(server.uri("/upload/" + v + "-stream.txt"))
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(text.getBytes())))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(() -> NginxUpstream.errorLogText(nginx)).isIn(201, 204);
        assertThat(Files.readString(nginx.root().resolve("upload/" + v + "-stream.txt"))).isEqualTo(text);
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void roundRobin(Version v) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            names.add(get(v, "/rr-" + v + "/name").body());
        }
        assertThat(names).containsExactly("a", "b", "a", "b", "a", "b");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void keepAliveConnectionToTheUpstreamIsReused(Version v) throws Exception {
        HttpClient client = server.httpClient(v); // one client connection: one event loop, one upstream pool
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/keep/conn")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(v);
            serials.add(r.body());
        }
        // nginx's $connection is the serial number of its connection: the same number means the same connection
        assertThat(serials).hasSize(6).containsOnly(serials.get(0));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void accessLogNamesTheUpstreamAndItsStatus(Version v) throws Exception {
        String marker = UUID.randomUUID().toString();
        HttpResponse<String> r = get(v, "/status/404?m=" + marker);
        assertThat(r.statusCode()).isEqualTo(404);
        String line = ProxyTesting.logLine(server, marker);
        assertThat(line).contains("\"status\":404", "\"upstream\":\"127.0.0.1:" + nginx.port() + "\"",
                "\"upstream_status\":\"404\"");
    }

    @Test
    void hopByHopRequestHeadersAreStrippedOverHttp1() throws Exception {
        String authority = "localhost:" + server.httpsPort();
        try (RawHttpsClient c = RawHttpsClient.connect(server, "localhost")) {
            c.write("GET /headers HTTP/1.1\r\nHost: " + authority + "\r\nX-Forwarded-For: 203.0.113.9\r\n"
                    + "Connection: X-Hop\r\nX-Hop: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers, gzip\r\n"
                    + "Proxy-Authorization: Basic eDp5\r\nProxy-Connection: keep-alive\r\nX-Custom: kept\r\n"
                    + "Cookie: a=1\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            String[] f = r.body().split("\\|", -1);
            assertThat(f[0]).isEqualTo("203.0.113.9, 127.0.0.1");
            assertThat(f[1]).isEqualTo("for=127.0.0.1;proto=https;host=\"" + authority + "\"");
            assertThat(f[2]).isEqualTo(authority);
            assertThat(f[3]).isEqualTo("https");
            assertThat(f[4]).isEqualTo(authority);
            assertThat(f[5]).as("Connection").isEmpty();
            assertThat(f[6]).as("Keep-Alive").isEmpty();
            assertThat(f[7]).as("TE: only trailers may pass").isEqualTo("trailers");
            assertThat(f[8]).as("Upgrade").isEmpty();
            assertThat(f[9]).as("Proxy-Authorization").isEmpty();
            assertThat(f[10]).isEqualTo("kept");
            assertThat(f[11]).as("X-Hop, named by Connection").isEmpty();
            assertThat(f[12]).as("Transfer-Encoding").isEmpty();
            assertThat(f[13]).isEqualTo("a=1");
            assertThat(f[14]).as("Proxy-Connection").isEmpty();
            // the client connection stays usable after the proxied response
            c.write("GET /hello HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().body()).isEqualTo("hello from nginx\n");
        }
    }

    @Test
    void hopByHopRequestHeadersAreStrippedOverHttp2() throws Exception {
        HttpResponse<String> r = server.httpClient(Version.HTTP_2).send(HttpRequest.newBuilder(server.uri("/headers"))
                .header("TE", "trailers").header("Proxy-Authorization", "Basic eDp5").header("X-Custom", "kept")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(Version.HTTP_2);
        String[] f = r.body().split("\\|", -1);
        assertThat(f[5]).as("Connection").isEmpty();
        assertThat(f[7]).as("TE").isEqualTo("trailers");
        assertThat(f[9]).as("Proxy-Authorization").isEmpty();
        assertThat(f[10]).isEqualTo("kept");
        assertThat(f[12]).as("Transfer-Encoding").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void hopByHopResponseHeadersAreStripped(Version v) throws Exception {
        HttpResponse<String> r = get(v, "/hop/x");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(r.headers().firstValue("x-end")).hasValue("kept");
        for (String h : List.of("x-resp-hop", "keep-alive", "proxy-authenticate", "upgrade", "proxy-connection")) {
            assertThat(r.headers().firstValue(h)).as(h).isEmpty();
        }
        assertThat(r.headers().allValues("connection")).noneMatch(c -> c.toLowerCase().contains("x-resp-hop"));
    }

    @Test
    void hopByHopResponseHeadersAreStrippedOnTheWire() throws Exception {
        RawResponse r = RawHttpsClient.get(server, "localhost", "/hop/raw");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-end")).hasValue("kept");
        assertThat(r.headers()).doesNotContainKeys("x-resp-hop", "keep-alive", "proxy-authenticate", "upgrade",
                "proxy-connection");
        assertThat(r.header("connection")).hasValue("close"); // ours (the request said close), not the upstream's
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void largeStreamedBodiesArriveIntact(Version v) throws Exception {
        byte[] data = ProxyTesting.randomBytes(24 << 20, v.ordinal());
        String expected = ProxyTesting.sha256(data);
        HttpClient client = server.httpClient(v);
        // known length (Content-Length upstream)
        HttpResponse<String> fixed = client.send(HttpRequest.newBuilder(server.uri("/upload/sha-" + v + ".bin"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fixed.statusCode()).as(() -> NginxUpstream.errorLogText(nginx)).isIn(201, 204);
        Path stored = nginx.root().resolve("upload/sha-" + v + ".bin");
        assertThat(ProxyTesting.sha256(stored)).isEqualTo(expected);
        // unknown length (chunked upstream), in small pieces so the stream really is a stream
        HttpResponse<String> streamed = client.send(HttpRequest.newBuilder(server.uri("/upload/sha-" + v + "-s.bin"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(data))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).as(() -> NginxUpstream.errorLogText(nginx)).isIn(201, 204);
        Path storedStreamed = nginx.root().resolve("upload/sha-" + v + "-s.bin");
        assertThat(ProxyTesting.sha256(storedStreamed)).isEqualTo(expected);
        // and back down through the proxy
        HttpResponse<byte[]> down = client.send(HttpRequest.newBuilder(server.uri("/upload/sha-" + v + ".bin")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(ProxyTesting.sha256(down.body())).isEqualTo(expected);
        Files.delete(stored);
        Files.delete(storedStreamed);
    }

    @Test
    void clientGoneMidResponseOverHttp1ClosesTheUpstreamConnection() throws Exception {
        int before = endless.peerClosed.get();
        try (RawHttpsClient c = RawHttpsClient.connect(server, "localhost")) {
            c.write("GET /gone/h1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(c.socket().getInputStream().readNBytes(256 << 10)).hasSize(256 << 10);
        }
        assertThat(ProxyTesting.await(Duration.ofSeconds(5), () -> endless.peerClosed.get() > before))
                .as("the upstream connection was closed").isTrue();
    }

    @Test
    void clientGoneMidResponseOverHttp2ClosesTheUpstreamConnection() throws Exception {
        int before = endless.peerClosed.get();
        HttpClient client = server.httpClient(Version.HTTP_2);
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(server.uri("/gone/h2")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.version()).isEqualTo(Version.HTTP_2);
        try (InputStream in = r.body()) {
            assertThat(in.readNBytes(256 << 10)).hasSize(256 << 10);
        } // closing the body cancels the stream (RST_STREAM); the connection stays
        assertThat(ProxyTesting.await(Duration.ofSeconds(5), () -> endless.peerClosed.get() > before))
                .as("the upstream connection was closed").isTrue();
        // the client connection survived the reset of one stream
        assertThat(client.send(HttpRequest.newBuilder(server.uri("/hello")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello from nginx\n");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void upstreamStatusPassesThrough(Version v) throws Exception {
        HttpResponse<String> r = get(v, "/status/404");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("status 404\n");
    }

    @Test
    @Tag("slow")
    @Order(100)
    void download1GiB() throws Exception {
        Path file = nginx.root().resolve("files/big.bin");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(GIB); // sparse: costs no disk
        }
        try {
            for (Version v : Version.values()) {
                long start = System.nanoTime();
                HttpResponse<InputStream> r = server.httpClient(v).send(
                        HttpRequest.newBuilder(server.uri("/files/big.bin")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                long total = 0;
                try (InputStream in = r.body()) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                    }
                }
                report("download", v, total, start);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(total).isEqualTo(GIB);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @Tag("slow")
    @Order(101)
    void upload1GiB() throws Exception {
        for (Version v : Version.values()) {
            Path target = nginx.root().resolve("upload/big-" + v + ".bin");
            long start = System.nanoTime();
            HttpResponse<String> r = server.httpClient(v).send(HttpRequest.newBuilder(server.uri("/upload/big-" + v + ".bin"))
                    .timeout(Duration.ofSeconds(100))
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(new Zeros(GIB), GIB)).build(),
                    HttpResponse.BodyHandlers.ofString());
            report("upload", v, GIB, start);
            assertThat(r.statusCode()).isIn(201, 204);
            assertThat(Files.size(target)).isEqualTo(GIB);
            Files.delete(target);
        }
    }

    private static void report(String what, Version v, long bytes, long startNanos) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.out.printf("proxy %s %s: %d MiB in %.2f s = %.0f MiB/s (heap used %d MiB of max %d MiB)%n", what, v,
                bytes >> 20, secs, (bytes >> 20) / secs, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
    }

    /** {@code size} zero bytes in 64 KiB buffers, produced on demand (the client's own backpressure). */
    private static final class Zeros implements Flow.Publisher<ByteBuffer> {
        private final long size;

        Zeros(long size) {
            this.size = size;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
            s.onSubscribe(new Flow.Subscription() {
                private long sent;
                private boolean done;

                @Override
                public synchronized void request(long n) {
                    for (long i = 0; i < n && !done; i++) {
                        int len = (int) Math.min(1 << 16, size - sent);
                        sent += len;
                        s.onNext(ByteBuffer.allocate(len));
                        if (sent == size) {
                            done = true;
                            s.onComplete();
                        }
                    }
                }

                @Override
                public synchronized void cancel() {
                    done = true;
                }
            });
        }
    }
}
