package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawResponse;
import io.portcullis.server.testing.TestUpstream;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/1.1 connection management: keep-alive, pipelined requests answered strictly in order, {@code Connection: close}
 * honoured, HTTP/1.0 answered with a length or a close-delimited body; and HTTP/2 streams multiplexed on one
 * connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeliningTest {
    static final TestUpstream upstream = TestUpstream.start();

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /a
                    respond: {body: "a"}
                  - path: /b
                    respond: {body: "bb"}
                  - path: /c
                    respond: {body: "ccc"}
                  - path: /echo
                    proxy: {upstreams: ["%1$s"]}
                  - path: /chunked
                    proxy: {upstreams: ["%1$s"]}
                  - respond: {body: "root"}
            """.formatted(upstream.uri())).withBystander("/", 200);

    @AfterAll
    static void cleanUp() throws Exception {
        upstream.close();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    @Test
    void threePipelinedGetsInOneWriteGetThreeResponsesInOrder() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.write(get("/c") + get("/a") + get("/b"));
            assertThat(List.of(c.readResponse(), c.readResponse(), c.readResponse()))
                    .extracting(RawResponse::body).containsExactly("ccc", "a", "bb");
            // and the connection is still usable
            c.write(get("/a"));
            assertThat(c.readResponse().body()).isEqualTo("a");
        }
    }

    @Test
    void pipelinedRequestsBehindASlowerProxiedOneStayInOrder() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.write("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nxyz" + get("/a")
                    + "HEAD /b HTTP/1.1\r\nHost: localhost\r\n\r\n" + get("/c"));
            RawResponse echo = c.readResponse();
            RawResponse a = c.readResponse();
            RawResponse head = c.readResponse(true);
            RawResponse cc = c.readResponse();
            assertThat(echo.body()).isEqualTo("read 3 bytes");
            assertThat(a.body()).isEqualTo("a");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).hasValue("2");
            assertThat(cc.body()).isEqualTo("ccc");
        }
    }

    @Test
    void tenPipelinedRequestsAreAllAnsweredInOrder() throws Exception {
        StringBuilder sb = new StringBuilder();
        List<String> expected = new ArrayList<>();
        String[] paths = {"/a", "/b", "/c"};
        String[] bodies = {"a", "bb", "ccc"};
        for (int i = 0; i < 10; i++) {
            sb.append(get(paths[i % 3]));
            expected.add(bodies[i % 3]);
        }
        sb.append("GET /a HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        expected.add("a");
        try (RawConnection c = RawConnection.tls(server)) {
            c.write(sb.toString());
            assertThat(c.readUntilClosed()).extracting(RawResponse::body).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void tooManyPipelinedRequestsCloseTheConnectionWithoutMixingResponses() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sb.append(get(i % 2 == 0 ? "/a" : "/b"));
        }
        sb.append("GET /c HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write(sb.toString());
            List<RawResponse> rs = c.readUntilClosed();
            // whatever was answered is answered in order and complete; the rest was refused by closing
            assertThat(rs.size()).isLessThanOrEqualTo(61);
            for (int i = 0; i < rs.size(); i++) {
                assertThat(rs.get(i).body()).isEqualTo(i == 60 ? "ccc" : i % 2 == 0 ? "a" : "bb");
            }
        }
    }

    @Test
    void connectionCloseIsHonouredAndLaterPipelinedRequestsAreNotAnswered() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write(get("/a") + "GET /b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" + get("/c"));
            List<RawResponse> rs = c.readUntilClosed();
            assertThat(rs).extracting(RawResponse::body).containsExactly("a", "bb");
            assertThat(rs.get(0).header("connection")).isEmpty();
            assertThat(rs.get(1).header("connection")).hasValue("close");
        }
    }

    @Test
    void malformedRequestInAPipelineEndsItAfterTheEarlierAnswers() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write(get("/a") + "GET /b HTTP/1.1\r\nHost: local host\r\n\r\n" + get("/c"));
            List<RawResponse> rs = c.readUntilClosed();
            assertThat(rs).extracting(RawResponse::status).containsExactly(200, 400);
            assertThat(rs.get(0).body()).isEqualTo("a");
        }
    }

    @Test
    void http10WithoutKeepAliveGetsAContentLengthAndClose() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write("GET /b HTTP/1.0\r\nHost: localhost\r\n\r\n" + get("/c"));
            List<RawResponse> rs = c.readUntilClosed();
            assertThat(rs).hasSize(1);
            assertThat(rs.get(0).body()).isEqualTo("bb");
            assertThat(rs.get(0).header("content-length")).hasValue("2");
            assertThat(rs.get(0).header("transfer-encoding")).isEmpty();
        }
    }

    @Test
    void http10KeepAliveIsHonoured() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write("GET /b HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
            RawResponse first = c.readResponse();
            assertThat(first.body()).isEqualTo("bb");
            assertThat(first.header("connection")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase(
                    "keep-alive"));
            c.write("GET /a HTTP/1.0\r\nHost: localhost\r\n\r\n");
            List<RawResponse> rest = c.readUntilClosed();
            assertThat(rest).extracting(RawResponse::body).containsExactly("a");
        }
    }

    @Test
    void http10ResponseWithoutALengthIsCloseDelimitedNotChunked() throws Exception {
        // The upstream answers without Content-Length; an HTTP/1.0 client cannot read chunked.
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write("GET /chunked HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
            List<RawResponse> rs = c.readUntilClosed();
            assertThat(rs).hasSize(1);
            assertThat(rs.get(0).header("transfer-encoding")).isEmpty();
            assertThat(rs.get(0).body()).isEqualTo("read 0 bytes");
            if (rs.get(0).header("content-length").isEmpty()) {
                assertThat(rs.get(0).header("connection")).hasValue("close");
            }
        }
    }

    @Test
    void http11ResponseWithoutALengthIsChunkedAndKeepsTheConnection() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.write(get("/chunked") + get("/a"));
            RawResponse first = c.readResponse();
            assertThat(first.body()).isEqualTo("read 0 bytes");
            assertThat(c.readResponse().body()).isEqualTo("a");
        }
    }

    @Test
    void http2StreamsAreMultiplexedOnOneConnection() throws Exception {
        HttpClient client = server.httpClient(Version.HTTP_2);
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        String[] paths = {"/a", "/b", "/c"};
        for (int i = 0; i < 30; i++) {
            futures.add(client.sendAsync(HttpRequest.newBuilder(server.uri(paths[i % 3])).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = futures.get(i).get();
            assertThat(r.version()).isEqualTo(Version.HTTP_2);
            assertThat(r.body()).isEqualTo(new String[]{"a", "bb", "ccc"}[i % 3]);
        }
    }
}
