package io.portcullis.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The static file handler through the real server, every case on HTTP/1.1 and HTTP/2. */
class StaticFilesServerTest {
    private static final String SECRET = "TOP-SECRET-OUTSIDE-ROOT";
    private static final long BIG_SIZE = 200L * 1024 * 1024;
    private static final Path BASE;
    private static final Path ROOT;
    private static final byte[] DATA = new byte[100_000];

    static {
        try {
            BASE = Files.createTempDirectory("portcullis-files-it");
            ROOT = Files.createDirectories(BASE.resolve("site"));
            new Random(42).nextBytes(DATA);
            Files.write(ROOT.resolve("data.bin"), DATA);
            Files.writeString(ROOT.resolve("hello.txt"), "hello world\n");
            Files.createDirectories(ROOT.resolve("docs/sub"));
            Files.writeString(ROOT.resolve("docs/index.html"), "<h1>docs</h1>");
            Files.writeString(ROOT.resolve("app.js"), "console.log('identity')");
            Files.writeString(ROOT.resolve("app.js.br"), "BROTLI-BYTES");
            Files.writeString(ROOT.resolve("app.js.gz"), "GZIP-BYTES");
            Files.writeString(ROOT.resolve("style.css"), "body{}");
            Files.writeString(ROOT.resolve("style.css.gz"), "GZ-CSS");
            Files.writeString(BASE.resolve("secret.txt"), SECRET);
            Files.createDirectories(ROOT.resolve("%2e%2e"));
            Files.createSymbolicLink(ROOT.resolve("out-link.txt"), BASE.resolve("secret.txt"));
            Files.createSymbolicLink(ROOT.resolve("in-link.txt"), ROOT.resolve("hello.txt"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @RegisterExtension
    static final PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /follow/*
                    static: {root: "%1$s", strip_prefix: /follow, follow_symlinks: true}
                  - static: {root: "%1$s"}
            """.formatted(ROOT));

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> paths = Files.walk(BASE)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Stream<HttpClient.Version> versions() {
        return Stream.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2);
    }

    private static HttpResponse<byte[]> send(HttpClient.Version version, String method, String path,
                                             String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> response = server.httpClient(version)
                .send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.version()).isEqualTo(version);
        return response;
    }

    private static HttpResponse<byte[]> get(HttpClient.Version version, String path, String... headers)
            throws Exception {
        return send(version, "GET", path, headers);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void servesAFile(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> r = get(version, "/hello.txt");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hello world\n");
        assertThat(header(r, "content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(header(r, "content-length")).isEqualTo("12");
        assertThat(header(r, "etag")).matches("\"[0-9a-f]+-c\"");
        assertThat(header(r, "last-modified")).endsWith("GMT");
        assertThat(header(r, "accept-ranges")).isEqualTo("bytes");
        assertThat(get(version, "/data.bin").body()).isEqualTo(DATA);
        assertThat(get(version, "/in-link.txt").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void head(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> r = send(version, "HEAD", "/data.bin");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "content-length")).isEqualTo(String.valueOf(DATA.length));
        assertThat(r.body()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void conditional(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> first = get(version, "/hello.txt");
        String etag = header(first, "etag");
        HttpResponse<byte[]> inm = get(version, "/hello.txt", "If-None-Match", "\"nope\", " + etag);
        assertThat(inm.statusCode()).isEqualTo(304);
        assertThat(inm.body()).isEmpty();
        assertThat(header(inm, "etag")).isEqualTo(etag);
        assertThat(get(version, "/hello.txt", "If-Modified-Since", header(first, "last-modified")).statusCode())
                .isEqualTo(304);
        assertThat(get(version, "/hello.txt", "If-None-Match", "\"nope\"",
                "If-Modified-Since", header(first, "last-modified")).statusCode()).isEqualTo(200);
        assertThat(get(version, "/hello.txt", "If-Match", "\"nope\"").statusCode()).isEqualTo(412);
        assertThat(get(version, "/hello.txt", "If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode())
                .isEqualTo(412);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void ranges(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> r = get(version, "/data.bin", "Range", "bytes=100-199");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(header(r, "content-range")).isEqualTo("bytes 100-199/100000");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(DATA, 100, 200));

        HttpResponse<byte[]> open = get(version, "/data.bin", "Range", "bytes=99990-");
        assertThat(header(open, "content-range")).isEqualTo("bytes 99990-99999/100000");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(DATA, 99990, 100000));

        HttpResponse<byte[]> suffix = get(version, "/data.bin", "Range", "bytes=-500");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(header(suffix, "content-range")).isEqualTo("bytes 99500-99999/100000");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(DATA, 99500, 100000));

        HttpResponse<byte[]> unsatisfiable = get(version, "/data.bin", "Range", "bytes=100000-");
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
        assertThat(header(unsatisfiable, "content-range")).isEqualTo("bytes */100000");

        HttpResponse<byte[]> multi = get(version, "/data.bin", "Range", "bytes=0-0,50-50");
        assertThat(multi.statusCode()).isEqualTo(200);
        assertThat(multi.body()).isEqualTo(DATA);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void ifRange(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> full = get(version, "/data.bin");
        HttpResponse<byte[]> byTag = get(version, "/data.bin", "Range", "bytes=0-9", "If-Range", header(full, "etag"));
        assertThat(byTag.statusCode()).isEqualTo(206);
        HttpResponse<byte[]> byDate = get(version, "/data.bin", "Range", "bytes=0-9",
                "If-Range", header(full, "last-modified"));
        assertThat(byDate.statusCode()).isEqualTo(206);
        HttpResponse<byte[]> stale = get(version, "/data.bin", "Range", "bytes=0-9", "If-Range", "\"stale\"");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(DATA);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void precompressed(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> br = get(version, "/app.js", "Accept-Encoding", "gzip, br");
        assertThat(header(br, "content-encoding")).isEqualTo("br");
        assertThat(new String(br.body(), StandardCharsets.UTF_8)).isEqualTo("BROTLI-BYTES");
        assertThat(header(br, "content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(header(br, "vary")).containsIgnoringCase("accept-encoding");

        HttpResponse<byte[]> gz = get(version, "/app.js", "Accept-Encoding", "gzip");
        assertThat(header(gz, "content-encoding")).isEqualTo("gzip");
        assertThat(new String(gz.body(), StandardCharsets.UTF_8)).isEqualTo("GZIP-BYTES");
        assertThat(header(gz, "etag")).isNotEqualTo(header(br, "etag"));

        HttpResponse<byte[]> identity = get(version, "/app.js");
        assertThat(header(identity, "content-encoding")).isNull();
        assertThat(header(identity, "vary")).containsIgnoringCase("accept-encoding");
        assertThat(new String(identity.body(), StandardCharsets.UTF_8)).isEqualTo("console.log('identity')");

        HttpResponse<byte[]> cssBr = get(version, "/style.css", "Accept-Encoding", "br, gzip");
        assertThat(header(cssBr, "content-encoding")).isEqualTo("gzip");

        HttpResponse<byte[]> plain = get(version, "/hello.txt", "Accept-Encoding", "br, gzip");
        assertThat(header(plain, "vary")).isNull();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void directories(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> redirect = get(version, "/docs?x=1");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(header(redirect, "location")).isEqualTo("/docs/?x=1");
        HttpResponse<byte[]> index = get(version, "/docs/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(header(index, "content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(index.body(), StandardCharsets.UTF_8)).isEqualTo("<h1>docs</h1>");
        assertThat(get(version, "/docs/sub/").statusCode()).as("no listing").isEqualTo(404);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void notFoundAndMethodNotAllowed(HttpClient.Version version) throws Exception {
        HttpResponse<byte[]> missing = get(version, "/missing.txt");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).doesNotContain(ROOT.toString());
        assertThat(get(version, "/hello.txt/").statusCode()).isEqualTo(404);
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<byte[]> r = send(version, method, "/hello.txt");
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(header(r, "allow")).isEqualTo("GET, HEAD");
        }
    }

    /** Spellings of "one level up"; the JDK client sends the raw path as given. */
    static Stream<Arguments> traversals() {
        String[] paths = {"/../secret.txt", "/docs/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
            "/docs/..%2f..%2fsecret.txt", "/..%2fsecret.txt", "/%5c..%5csecret.txt", "/docs/..%5c..%5csecret.txt",
            "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/.%2e/secret.txt", "/%2e%2e%2f%2e%2e%2fsecret.txt",
            "/out-link.txt", "/docs/%00/../../secret.txt", "/hello.txt%00.png"};
        return versions().flatMap(v -> Arrays.stream(paths).map(p -> Arguments.of(v, p)));
    }

    @ParameterizedTest
    @MethodSource("traversals")
    void traversalIsRefused(HttpClient.Version version, String rawPath) throws Exception {
        HttpResponse<byte[]> r;
        try {
            r = get(version, rawPath);
        } catch (IllegalArgumentException e) {
            return; // the client refused to even send it
        }
        assertThat(r.statusCode()).as(rawPath).isIn(400, 404);
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    }

    /** The same, over a raw TLS socket, so that no client library can normalise the path before it leaves. */
    @Test
    void traversalIsRefusedOnTheWire() throws Exception {
        traversals().map(a -> (String) a.get()[1]).distinct().forEach(path -> {
            String response = rawHttp1("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(response).as(path).matches("(?s)HTTP/1\\.1 (400|404) .*");
            assertThat(response).doesNotContain(SECRET);
        });
        assertThat(rawHttp1("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ").endsWith("hello world\n");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void symlinkOutOfRootOnlyWithFollowSymlinks(HttpClient.Version version) throws Exception {
        assertThat(get(version, "/out-link.txt").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> followed = get(version, "/follow/out-link.txt");
        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(new String(followed.body(), StandardCharsets.UTF_8)).isEqualTo(SECRET);
        assertThat(get(version, "/follow/../secret.txt").statusCode()).isIn(400, 404);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void bigFileArrivesIntact(HttpClient.Version version) throws Exception {
        Path big = ROOT.resolve("big.bin");
        String expected = writeBigFile(big);
        HttpResponse<InputStream> r = server.httpClient(version).send(
                HttpRequest.newBuilder(server.uri("/big.bin")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.version()).isEqualTo(version);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "content-length")).isEqualTo(String.valueOf(BIG_SIZE));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = new DigestInputStream(r.body(), sha)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                count += n;
            }
        }
        assertThat(count).isEqualTo(BIG_SIZE);
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(expected);
    }

    private static String bigFileHash;

    /** Pseudo-random content, so a misplaced chunk changes the hash. Written once, shared by both protocols. */
    private static String writeBigFile(Path big) throws Exception {
        if (bigFileHash != null) {
            return bigFileHash;
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(7);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(big)) {
            for (long written = 0; written < BIG_SIZE; written += block.length) {
                random.nextBytes(block);
                sha.update(block);
                out.write(block);
            }
        }
        bigFileHash = HexFormat.of().formatHex(sha.digest());
        return bigFileHash;
    }

    private static String rawHttp1(String request) {
        URI uri = server.uri("/");
        try (SSLSocket socket = (SSLSocket) server.sslContext().getSocketFactory()
                .createSocket(uri.getHost(), uri.getPort())) {
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(java.util.List.of(new SNIHostName("localhost")));
            params.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(params);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(response);
            return response.toString(StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
