package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import io.portcullis.server.testing.FreePorts;
import io.portcullis.server.testing.H3Client;
import io.portcullis.server.testing.HttpTestClient;
import io.portcullis.server.testing.HttpTestClient.Response;
import io.portcullis.server.testing.NginxUpstream;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawServer;
import io.portcullis.server.testing.TcpHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same cases over HTTP/1.1, HTTP/2 and HTTP/3 against one server: routing, the fixed handlers, the reverse proxy
 * to a real nginx, static files, response and security headers, and the error statuses. Behaviour must not depend on
 * the protocol; the only intended difference is that Alt-Svc advertises h3 on TCP and is absent on h3 itself.
 */
class ProtocolMatrixTest {
    /** A large file, served and compared byte for byte. */
    private static final byte[] BIG_FILE = randomBytes(6 * 1024 * 1024 + 123, 1);
    /** A large upload, streamed through the proxy into nginx's WebDAV directory. */
    private static final byte[] BIG_UPLOAD = randomBytes(12 * 1024 * 1024 + 7, 2);
    private static final String SMALL_FILE = "0123456789abcdefghijklmnopqrstuvwxyz\n";
    private static final Path ROOT = createRoot();
    private static final int DEAD_PORT = FreePorts.take();
    private static final RawServer SILENT = silentUpstream();

    enum Protocol { H1, H2, H3 }

    @RegisterExtension
    @Order(1)
    static NginxUpstream nginx = new NginxUpstream("matrix");

    @RegisterExtension
    @Order(2)
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /hello
                    methods: [GET, HEAD]
                    respond: "hello"
                  - path: /api/*
                    respond: {status: 201, body: "api", headers: {X-Route: api}}
                  - path: /old/*
                    redirect: {to: "https://example.org{uri}", status: 308}
                  - path: /up/*
                    proxy: {upstreams: ["%1$s"]}
                  - path: /upload/*
                    max_body: 1GiB
                    proxy: {upstreams: ["%1$s"]}
                  - path: /small/*
                    max_body: 1KiB
                    proxy: {upstreams: ["%1$s"]}
                  - path: /down/*
                    proxy: {upstreams: ["http://127.0.0.1:%2$d"], connect_timeout: 1s, max_fails: 1000}
                  - path: /silent/*
                    proxy: {upstreams: ["%3$s"], first_byte_timeout: 1s, max_fails: 1000}
                  - path: /files/*
                    static: {root: "%4$s", strip_prefix: /files}
              - hosts: [other.test]
                hsts: on
                headers:
                  add: {X-Site: other}
                  remove: [X-Frame-Options]
                routes:
                  - respond: "other site"
            """.formatted(nginx.uri(), DEAD_PORT, SILENT.uri(), ROOT));

    private static final Map<Protocol, HttpTestClient> CLIENTS = new EnumMap<>(Protocol.class);

    @AfterAll
    static void cleanUp() throws IOException {
        CLIENTS.values().forEach(HttpTestClient::close);
        SILENT.close();
        try (var files = Files.walk(ROOT)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static synchronized HttpTestClient client(Protocol p) throws Exception {
        HttpTestClient c = CLIENTS.get(p);
        if (c == null) {
            int port = server.httpsPort();
            c = switch (p) {
                case H1 -> TcpHttpClient.http1(server.caFile(), "localhost", port);
                case H2 -> TcpHttpClient.http2(server.caFile(), "localhost", port);
                case H3 -> H3Client.connect(server.caFile(), "localhost", server.server().http3Port());
            };
            CLIENTS.put(p, c);
        }
        return c;
    }

    private static Response send(Protocol p, String method, String path, Map<String, String> headers, byte[] body)
            throws Exception {
        return client(p).request(method, "localhost:" + server.httpsPort(), path, headers, body);
    }

    private static Response get(Protocol p, String path) throws Exception {
        return send(p, "GET", path, Map.of(), null);
    }

    // ---- routes and the fixed handlers ----

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void pathRoutesAndRespondHandler(Protocol p) throws Exception {
        Response hello = get(p, "/hello");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.bodyText()).isEqualTo("hello");
        assertThat(hello.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(hello.header("content-length")).isEqualTo("5");

        Response api = get(p, "/api/v1/things?x=1");
        assertThat(api.status()).isEqualTo(201);
        assertThat(api.bodyText()).isEqualTo("api");
        assertThat(api.header("x-route")).isEqualTo("api");

        Response head = send(p, "HEAD", "/hello", Map.of(), null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("content-length")).isEqualTo("5");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void hostChoosesTheSite(Protocol p) throws Exception {
        Response other = client(p).request("GET", "other.test", "/hello", Map.of(), null);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.bodyText()).isEqualTo("other site");
        assertThat(other.header("x-site")).isEqualTo("other");
        // A name no site has goes to the first site.
        Response unknown = client(p).request("GET", "unknown.test", "/hello", Map.of(), null);
        assertThat(unknown.bodyText()).isEqualTo("hello");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void redirectKeepsPathAndQuery(Protocol p) throws Exception {
        Response r = get(p, "/old/a%20b?q=1");
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("location")).isEqualTo("https://example.org/old/a%20b?q=1");
    }

    // ---- response and security headers ----

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void securityHeadersOnEveryProtocol(Protocol p) throws Exception {
        Response local = get(p, "/hello");
        assertThat(local.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(local.header("x-frame-options")).isEqualTo("SAMEORIGIN");
        assertThat(local.header("referrer-policy")).isEqualTo("strict-origin-when-cross-origin");
        assertThat(local.header("server")).isNull();
        assertThat(local.header("strict-transport-security")).as("local-CA site: HSTS off by default").isNull();
        // The one intended difference: h1 and h2 advertise h3, h3 does not advertise itself.
        if (p == Protocol.H3) {
            assertThat(local.header("alt-svc")).isNull();
        } else {
            assertThat(local.header("alt-svc")).isEqualTo("h3=\":" + server.httpsPort() + "\"; ma=86400");
        }

        Response other = client(p).request("GET", "other.test", "/", Map.of(), null);
        assertThat(other.header("strict-transport-security")).isEqualTo("max-age=63072000; includeSubDomains");
        assertThat(other.header("x-frame-options")).as("removed by the site").isNull();
        assertThat(other.header("x-content-type-options")).isEqualTo("nosniff");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void dateOnEveryResponseAndTheUpstreamsKept(Protocol p) throws Exception {
        String imfFixdate = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                + "\\d{4} \\d{2}:\\d{2}:\\d{2} GMT";
        for (String path : List.of("/hello", "/nowhere", "/up/hello")) {
            String date = get(p, path).header("date");
            assertThat(date).as(path).isNotNull().matches(imfFixdate);
            long skew = Math.abs(DateFormatter.parseHttpDate(date).getTime() - System.currentTimeMillis());
            assertThat(skew).as(path + " clock").isLessThan(10_000);
        }
    }

    // ---- reverse proxy to nginx ----

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void proxiesToARealUpstreamWithForwardingHeaders(Protocol p) throws Exception {
        Response hello = get(p, "/up/hello");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.bodyText()).isEqualTo("hello from nginx\n");
        assertThat(hello.header("server")).as("the upstream's Server header is not passed on").isNull();
        assertThat(hello.header("x-content-type-options")).isEqualTo("nosniff");

        String[] fields = get(p, "/up/headers").bodyText().split("\\|", -1);
        assertThat(fields[0]).as("X-Forwarded-For").isEqualTo("127.0.0.1");
        assertThat(fields[2]).as("Host").isEqualTo("localhost:" + server.httpsPort());
        assertThat(fields[3]).as("X-Forwarded-Proto").isEqualTo("https");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void largeUploadStreamsThroughTheProxyIntact(Protocol p) throws Exception {
        String name = "big-" + p + ".bin";
        Response r = send(p, "PUT", "/upload/" + name, Map.of("content-type", "application/octet-stream",
                "content-length", Integer.toString(BIG_UPLOAD.length)), BIG_UPLOAD);
        assertThat(r.status()).as(NginxUpstream.errorLogText(nginx)).isEqualTo(201);
        Path stored = nginx.root().resolve("upload").resolve(name);
        assertThat(sha256(Files.readAllBytes(stored))).isEqualTo(sha256(BIG_UPLOAD));
    }

    // ---- static files ----

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void largeStaticFileByteForByte(Protocol p) throws Exception {
        Response r = get(p, "/files/big.bin");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-length")).isEqualTo(Integer.toString(BIG_FILE.length));
        assertThat(r.body().length).isEqualTo(BIG_FILE.length);
        assertThat(sha256(r.body())).isEqualTo(sha256(BIG_FILE));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void rangeRequests(Protocol p) throws Exception {
        Response r = send(p, "GET", "/files/small.txt", Map.of("range", "bytes=10-15"), null);
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.bodyText()).isEqualTo("abcdef");
        assertThat(r.header("content-range")).isEqualTo("bytes 10-15/" + SMALL_FILE.length());

        Response big = send(p, "GET", "/files/big.bin", Map.of("range", "bytes=5000000-5000999"), null);
        assertThat(big.status()).isEqualTo(206);
        assertThat(big.body()).isEqualTo(Arrays.copyOfRange(BIG_FILE, 5_000_000, 5_001_000));

        Response unsatisfiable = send(p, "GET", "/files/small.txt", Map.of("range", "bytes=1000-"), null);
        assertThat(unsatisfiable.status()).isEqualTo(416);
        assertThat(unsatisfiable.header("content-range")).isEqualTo("bytes */" + SMALL_FILE.length());

        String etag = get(p, "/files/small.txt").header("etag");
        assertThat(etag).isNotNull();
        Response notModified = send(p, "GET", "/files/small.txt", Map.of("if-none-match", etag), null);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
    }

    // ---- errors ----

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void notFoundAndMethodNotAllowed(Protocol p) throws Exception {
        Response notFound = get(p, "/nowhere");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(notFound.bodyText()).containsPattern("<code>[0-9a-f]{16}</code>").doesNotContain("Exception");
        assertThat(notFound.header("x-content-type-options")).isEqualTo("nosniff");

        Response notAllowed = send(p, "POST", "/hello", Map.of("content-length", "1"), "x".getBytes());
        assertThat(notAllowed.status()).isEqualTo(405);
        assertThat(notAllowed.header("allow")).isEqualTo("GET, HEAD");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void bodyOverTheRouteLimitIs413(Protocol p) throws Exception {
        byte[] body = randomBytes(8 * 1024, 3);
        Response declared = send(p, "POST", "/small/x", Map.of("content-length", Integer.toString(body.length)),
                body);
        assertThat(declared.status()).isEqualTo(413);
        // A body under the limit still passes through.
        Response ok = send(p, "POST", "/small/hello", Map.of("content-length", "3"), "abc".getBytes());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.bodyText()).isEqualTo("hello from nginx\n");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void upstreamDownIs502AndSilentUpstreamIs504(Protocol p) throws Exception {
        Response down = get(p, "/down/x");
        assertThat(down.status()).isEqualTo(502);
        assertThat(down.bodyText()).containsPattern("<code>[0-9a-f]{16}</code>").doesNotContain("Exception");
        long start = System.nanoTime();
        Response silent = get(p, "/silent/x");
        assertThat(silent.status()).isEqualTo(504);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 5000L);
    }

    // ---- fixtures ----

    private static Path createRoot() {
        try {
            Path root = Files.createTempDirectory("portcullis-matrix-");
            Files.write(root.resolve("big.bin"), BIG_FILE);
            Files.writeString(root.resolve("small.txt"), SMALL_FILE);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RawServer silentUpstream() {
        try {
            return RawServer.silent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
