package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawResponse;
import io.portcullis.server.testing.TestUpstream;
import java.net.URI;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed HTTP/1.1 gets 400 and the connection closed (nothing after it is read); request paths are normalised once,
 * before routing, and paths that climb above the root are refused; CR, LF and NUL cannot be injected into header
 * values.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MalformedRequestTest {
    static final TestUpstream upstream = TestUpstream.start();

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /echo
                    proxy: {upstreams: ["%s"]}
                  - path: /secret
                    respond: {status: 200, body: "secret route"}
                  - path: /after
                    respond: {status: 200, body: "AFTER"}
                  - path: /
                    respond: {status: 200, body: "root"}
                  - respond: {status: 404, body: "no route"}
            """.formatted(upstream.uri())).withBystander("/", 200);

    @AfterAll
    static void cleanUp() throws Exception {
        upstream.close();
    }

    /** A request followed on the same write by a well-formed one that must never be answered. */
    private static final String AFTER = "GET /after HTTP/1.1\r\nHost: localhost\r\n\r\n";

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("garbage request line", "\u0001\u0002garbage\r\n\r\n"),
                Arguments.of("request line without version", "GET /\r\nHost: localhost\r\n\r\n"),
                Arguments.of("request line with extra token", "GET / HTTP/1.1 extra\r\nHost: localhost\r\n\r\n"),
                Arguments.of("space in method", "G ET / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("unknown protocol", "GET / FTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("header without colon", "GET / HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n"),
                Arguments.of("header name with space", "GET / HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n"),
                Arguments.of("empty header name", "GET / HTTP/1.1\r\nHost: localhost\r\n: x\r\n\r\n"),
                Arguments.of("header line starting with space",
                        "GET / HTTP/1.1\r\n Host: localhost\r\nHost: localhost\r\n\r\n"),
                Arguments.of("missing Host on HTTP/1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
                Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: localhost\r\nHost: other.test\r\n\r\n"),
                Arguments.of("Host with space", "GET / HTTP/1.1\r\nHost: local host\r\n\r\n"),
                Arguments.of("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@localhost\r\n\r\n"),
                Arguments.of("Host with bad port", "GET / HTTP/1.1\r\nHost: localhost:99999\r\n\r\n"),
                Arguments.of("Host with path", "GET / HTTP/1.1\r\nHost: localhost/x\r\n\r\n"),
                Arguments.of("empty Host", "GET / HTTP/1.1\r\nHost: \r\n\r\n"),
                Arguments.of("absolute form with other Host",
                        "GET https://other.test/ HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("asterisk target for GET", "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("bare CR in header value",
                        "GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\rX-Injected: 1\r\n\r\n"),
                Arguments.of("NUL in header value", "GET / HTTP/1.1\r\nHost: localhost\r\nX-A: a\u0000b\r\n\r\n"),
                Arguments.of("dot-dot above root", "GET /../secret HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("encoded dot-dot above root", "GET /%2e%2e/x HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("encoded dot-dot-slash above root",
                        "GET /a/..%2f..%2fsecret HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("encoded NUL in path", "GET /secret%00.html HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("malformed percent escape", "GET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("invalid UTF-8 in path", "GET /%c0%ae%c0%ae/secret HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                Arguments.of("fragment in target", "GET /secret#x HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequestIs400AndClose(String name, String request) throws Exception {
        List<RawResponse> responses;
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write(request + AFTER);
            responses = c.readUntilClosed();
        }
        assertThat(responses).as("responses to %s", name).hasSize(1);
        RawResponse r = responses.get(0);
        assertThat(r.status()).as(name).isEqualTo(400);
        assertThat(r.header("connection")).as(name).hasValue("close");
        assertThat(r.body()).as(name).matches("(?s).*<code>[0-9a-f]{16}</code>.*").doesNotContain("Exception");
    }

    static Stream<Arguments> badChunks() {
        return Stream.of(
                Arguments.of("non-hex chunk size", "zz\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("negative chunk size", "-1\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("chunk size overflowing a long", "fffffffffffffffff\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("chunk longer than its size", "2\r\nabcdef\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badChunks")
    void badChunkOnARouteThatReadsTheBodyIs400AndClose(String name, String body) throws Exception {
        List<RawResponse> responses;
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n" + body + AFTER);
            responses = c.readUntilClosed();
        }
        assertThat(responses).as("responses to %s", name).hasSize(1);
        assertThat(responses.get(0).status()).as(name).isEqualTo(400);
        assertThat(responses.get(0).header("connection")).as(name).hasValue("close");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badChunks")
    void badChunkOnARouteThatAnsweredBeforeTheBodyClosesTheConnection(String name, String body) throws Exception {
        // The respond route answers as soon as the head is in, before the broken body is decoded: the answer stands,
        // but the connection must end there (the framing of what follows is unknown).
        List<RawResponse> responses;
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write("POST /secret HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n" + body + AFTER);
            responses = c.readUntilClosed();
        }
        assertThat(responses).as("responses to %s", name).hasSize(1);
        assertThat(responses.get(0).status()).as(name).isIn(200, 400);
        assertThat(responses).noneMatch(r -> r.body().equals("AFTER"));
    }

    @Test
    void unsupportedHttpVersionIsRefusedAndClosed() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write("GET / HTTP/1.2\r\nHost: localhost\r\n\r\n" + AFTER);
            List<RawResponse> responses = c.readUntilClosed();
            assertThat(responses).hasSize(1);
            assertThat(responses.get(0).status()).isIn(400, 505);
        }
    }

    @Test
    void bareLfLineEndingsAreEitherServedExactlyOnceOrRefused() throws Exception {
        // Netty accepts bare LF as a line end (RFC 9112 2.2 allows it). Whatever it does, the request must be read
        // as exactly the request a strict parser would see: one answer for one request, nothing smuggled in.
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write("GET /secret HTTP/1.1\nHost: localhost\nConnection: close\n\n" + AFTER);
            List<RawResponse> responses = c.readUntilClosed();
            assertThat(responses).hasSize(1);
            RawResponse r = responses.get(0);
            if (r.status() == 200) {
                assertThat(r.body()).isEqualTo("secret route");
            } else {
                assertThat(r.status()).isEqualTo(400);
            }
        }
    }

    @Test
    void bareLfCannotHideAHeaderInsideAnother() throws Exception {
        // "X-A: a\nTransfer-Encoding: chunked" is either two headers for everyone (then chunked applies, and the
        // body below is one chunked body) or a 400; never a header value containing LF.
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write("POST /secret HTTP/1.1\r\nHost: localhost\r\nX-A: a\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n" + AFTER);
            List<RawResponse> responses = c.readUntilClosed();
            assertThat(responses).hasSize(1);
            assertThat(responses.get(0).status()).isIn(200, 400);
        }
    }

    @Test
    void http10WithoutHostIsServed() throws Exception {
        try (RawConnection c = RawConnection.tls(server)) {
            c.write("GET /secret HTTP/1.0\r\n\r\n");
            List<RawResponse> responses = c.readUntilClosed();
            assertThat(responses).hasSize(1);
            assertThat(responses.get(0).status()).isEqualTo(200);
            assertThat(responses.get(0).body()).isEqualTo("secret route");
        }
    }

    @Test
    void dotSegmentsAreResolvedBeforeRouting() throws Exception {
        for (String path : List.of("/a/../secret", "/a/b/../../secret", "/./secret", "//secret", "/a/%2e%2e/secret",
                "/%73ecret", "/a/.%2e/secret")) {
            try (RawConnection c = RawConnection.tls(server)) {
                c.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                RawResponse r = c.readResponse();
                assertThat(r.status()).as(path).isEqualTo(200);
                assertThat(r.body()).as(path).isEqualTo("secret route");
            }
        }
        // and not just anything routes to /secret
        try (RawConnection c = RawConnection.tls(server)) {
            c.write("GET /a/secret HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().body()).isEqualTo("no route");
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void dotSegmentsOverEitherProtocol(Version version) throws Exception {
        HttpResponse<String> ok = server.httpClient(version).send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + server.httpsPort() + "/a/../secret")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.version()).isEqualTo(version);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("secret route");
        HttpResponse<String> bad = server.httpClient(version).send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + server.httpsPort() + "/%2e%2e/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void headerInjectionThroughHttp2IsImpossibleForTheClientLibraryAndRefusedByTheServer() throws Exception {
        // The JDK client itself refuses CR/LF in values; what reaches the server over h2 is checked by the same code
        // as h1 (bare CR above). Here: a legal value with obs-text passes untouched.
        HttpResponse<String> r = server.httpClient(Version.HTTP_2).send(
                HttpRequest.newBuilder(server.uri("/secret")).header("X-A", "a\tb").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }
}
