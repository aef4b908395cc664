package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
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

/** The proxy inside the real server (TLS, HTTP/1.1 and HTTP/2 from the client) in front of real nginx. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyServerTest {
    private static final long GIB = 1L << 30;

    @RegisterExtension
    @Order(1)
    static NginxUpstream nginx = new NginxUpstream("a");
    @RegisterExtension
    @Order(1)
    static NginxUpstream nginxB = new NginxUpstream("b");

    @RegisterExtension
    @Order(2)
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /rr/*
                    proxy: {upstreams: ["%1$s", "%2$s"]}
                  - path: /upload/*
                    max_body: 2GiB
                    proxy: {upstreams: ["%1$s"]}
                  - proxy: {upstreams: ["%1$s"], first_byte_timeout: 5s}
            """.formatted(nginx.uri(), nginxB.uri()));

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
        for (int i = 0; i < 4; i++) {
            names.add(get(v, "/rr/name").body());
        }
        assertThat(names).containsOnly("a", "b").contains("a", "b");
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
