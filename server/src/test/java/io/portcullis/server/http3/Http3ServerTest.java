package io.portcullis.server.http3;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.H3Client;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.TestUpstream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/3 through the real server and a real HTTP/3 client: the same routes, handlers, response headers and access log
 * as h1/h2, bodies both ways, Alt-Svc on h1/h2, and hostile UDP input.
 */
class Http3ServerTest {
    private static final Path ROOT;
    private static final byte[] BIG = new byte[20 * 1024 * 1024];
    private static final TestUpstream UPSTREAM = TestUpstream.start();

    static {
        try {
            ROOT = Files.createTempDirectory("portcullis-h3-files");
            new Random(7).nextBytes(BIG);
            Files.write(ROOT.resolve("big.bin"), BIG);
            Files.writeString(ROOT.resolve("hello.txt"), "hello world\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                headers:
                  add: {X-Site: h3-test}
                routes:
                  - path: /hello
                    methods: [GET]
                    respond: "hello over h3"
                  - path: /up/*
                    max_body: 1GiB
                    proxy: {upstreams: ["%s"]}
                  - path: /files/*
                    static: {root: "%s", strip_prefix: /files}
              - hosts: [tcp-only.localhost]
                alt_svc: false
                routes:
                  - respond: "tcp only"
            """.formatted(UPSTREAM.uri(), ROOT));

    @AfterAll
    static void cleanUp() throws IOException {
        UPSTREAM.close();
        Files.deleteIfExists(ROOT.resolve("big.bin"));
        Files.deleteIfExists(ROOT.resolve("hello.txt"));
        Files.deleteIfExists(ROOT);
    }

    private static H3Client client() throws Exception {
        return H3Client.connect(server.caFile(), "localhost", server.server().http3Port());
    }

    @Test
    void listensOnTheHttpsPortOverUdp() {
        assertThat(server.server().http3Port()).isEqualTo(server.httpsPort());
    }

    @Test
    void respondRouteWithSecurityHeadersAndSiteHeaders() throws Exception {
        try (H3Client c = client()) {
            H3Client.Response r = c.get("/hello");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello over h3");
            assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");
            assertThat(r.header("x-site")).isEqualTo("h3-test");
            assertThat(r.header("alt-svc")).as("no advertisement on h3 itself").isNull();
            // Several requests on one connection, each its own stream.
            assertThat(c.get("/hello").status()).isEqualTo(200);
        }
    }

    @Test
    void errorsComeFromTheSameDispatcher() throws Exception {
        try (H3Client c = client()) {
            H3Client.Response notFound = c.get("/nowhere");
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.bodyText()).contains("Request ID");
            H3Client.Response notAllowed = c.request("POST", "/hello", Map.of(), "x".getBytes());
            assertThat(notAllowed.status()).isEqualTo(405);
        }
    }

    @Test
    void largeStaticFileStreamsIntact() throws Exception {
        try (H3Client c = client()) {
            H3Client.Response r = c.get("/files/big.bin");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().length).isEqualTo(BIG.length);
            assertThat(MessageDigest.getInstance("SHA-256").digest(r.body()))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(BIG));
            H3Client.Response range = c.request("GET", "/files/hello.txt", Map.of("range", "bytes=0-4"), null);
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void proxyStreamsALargeUploadAndTheAnswer() throws Exception {
        try (H3Client c = client()) {
            H3Client.Response get = c.get("/up/plain");
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.bodyText()).isEqualTo("read 0 bytes");
            H3Client.Response post = c.request("POST", "/up/big", Map.of("content-type", "application/octet-stream"),
                    BIG);
            assertThat(post.status()).isEqualTo(200);
            assertThat(post.bodyText()).isEqualTo("read " + BIG.length + " bytes");
            H3Client.Response chunked = c.get("/up/chunked");
            assertThat(chunked.bodyText()).isEqualTo("read 0 bytes");
        }
    }

    @Test
    void accessLogNamesHttp3() throws Exception {
        try (H3Client c = client()) {
            assertThat(c.get("/hello?from=h3log").status()).isEqualTo(200);
        }
        assertThat(String.join("\n", server.accessLogLines(1))).containsPattern("from=h3log[^\\n]*HTTP/3.0");
    }

    @Test
    void altSvcOnHttp1AndHttp2WhileQuicListens() throws Exception {
        for (HttpClient.Version v : HttpClient.Version.values()) {
            HttpResponse<String> r = server.httpClient(v).send(HttpRequest.newBuilder(server.uri("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("alt-svc")).as(v.toString())
                    .contains("h3=\":" + server.httpsPort() + "\"; ma=86400");
        }
    }

    @Test
    void siteSwitchTurnsAltSvcOff() throws Exception {
        try (io.portcullis.server.testing.RawHttpsClient c = io.portcullis.server.testing.RawHttpsClient.connect(
                server.sslContext(), server.httpsPort(), "localhost")) {
            c.write("GET / HTTP/1.1\r\nHost: tcp-only.localhost\r\n\r\n");
            io.portcullis.server.testing.RawResponse r = c.readResponse();
            assertThat(r.body()).isEqualTo("tcp only");
            assertThat(r.header("alt-svc")).isEmpty();
        }
    }

    @Test
    void malformedPacketsAndUnknownVersionsLeaveTheServerServing() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        int port = server.server().http3Port();
        try (DatagramSocket raw = new DatagramSocket()) {
            raw.setSoTimeout(2000);
            Random random = new Random(1);
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[1 + random.nextInt(1400)];
                random.nextBytes(junk);
                raw.send(new DatagramPacket(junk, junk.length, lo, port));
            }
            // A long-header Initial with version 0x1a2a3a4a (reserved, RFC 9000 15): the server must answer with
            // Version Negotiation (version 0) listing QUIC v1.
            ByteBuffer p = ByteBuffer.allocate(1200);
            p.put((byte) 0xc0).putInt(0x1a2a3a4a);
            p.put((byte) 8).put(new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
            p.put((byte) 8).put(new byte[]{8, 7, 6, 5, 4, 3, 2, 1});
            raw.send(new DatagramPacket(p.array(), 1200, lo, port));
            DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
            raw.receive(answer);
            ByteBuffer a = ByteBuffer.wrap(answer.getData(), 0, answer.getLength());
            assertThat(a.get() & 0x80).as("long header").isEqualTo(0x80);
            assertThat(a.getInt()).as("version negotiation").isZero();
            int dcidLen = a.get();
            a.position(a.position() + dcidLen);
            int scidLen = a.get();
            a.position(a.position() + scidLen);
            boolean v1 = false;
            while (a.remaining() >= 4) {
                v1 |= a.getInt() == 1;
            }
            assertThat(v1).as("offers QUIC v1").isTrue();
        }
        try (H3Client c = client()) {
            assertThat(c.get("/hello").status()).isEqualTo(200);
        }
    }
}
