package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain-HTTP listener: every request gets a 308 to https with the same host (port stripped, the https port added
 * since it is not 443), path and query; a missing or bad Host is 400; the ACME challenge path is reserved (404); no
 * HSTS over plain http; keep-alive works; ambiguous framing is refused there too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpRedirectListenerTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites:
              - hosts: [localhost, example.com]
                tls: internal
                hsts: on
                routes:
                  - respond: {status: 200, body: "https"}
            """);

    private static String location(String hostAndPath) {
        return "https://" + hostAndPath.replaceFirst("^([^/]*)", "$1:" + server.httpsPort());
    }

    private static List<RawResponse> exchange(String raw) throws Exception {
        try (RawConnection c = RawConnection.plain(server.httpPort())) {
            c.timeoutMillis(5000);
            c.write(raw);
            return c.readUntilClosed();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "OPTIONS"})
    void everyMethodIsRedirectedWith308KeepingPathAndQuery(String method) throws Exception {
        String body = method.equals("GET") ? "" : "Content-Length: 3\r\n";
        List<RawResponse> rs = exchange(method + " /path/x?query=1&b=%20 HTTP/1.1\r\nHost: example.com\r\n" + body
                + "Connection: close\r\n\r\n" + (body.isEmpty() ? "" : "abc"));
        assertThat(rs).hasSize(1);
        RawResponse r = rs.get(0);
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("location")).hasValue(location("example.com/path/x?query=1&b=%20"));
        assertThat(r.header("date")).as("RFC 9110 6.6.1: Date on a 3xx").isPresent();
        assertThat(r.header("strict-transport-security")).isEmpty();
        assertThat(r.header("server")).isEmpty();
    }

    @Test
    void headIsRedirectedWithoutABody() throws Exception {
        try (RawConnection c = RawConnection.plain(server.httpPort())) {
            c.write("HEAD /h HTTP/1.1\r\nHost: example.com\r\n\r\n");
            RawResponse r = c.readResponse(true);
            assertThat(r.status()).isEqualTo(308);
            assertThat(r.header("location")).hasValue(location("example.com/h"));
            // the connection is still in sync: a GET after the HEAD is answered correctly
            c.write("GET /g HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertThat(c.readResponse().header("location")).hasValue(location("example.com/g"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com:80", "EXAMPLE.com", "example.com.", "example.com:8080"})
    void hostPortIsStrippedAndHostNormalised(String host) throws Exception {
        List<RawResponse> rs = exchange("GET /p HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        assertThat(rs).hasSize(1);
        assertThat(rs.get(0).status()).isEqualTo(308);
        assertThat(rs.get(0).header("location")).hasValue(location("example.com/p"));
    }

    @Test
    void ipv6LiteralHostKeepsItsBrackets() throws Exception {
        List<RawResponse> rs = exchange("GET /p HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\n\r\n");
        assertThat(rs.get(0).status()).isEqualTo(308);
        assertThat(rs.get(0).header("location")).hasValue("https://[::1]:" + server.httpsPort() + "/p");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Host: \r\n", "Host: exa mple.com\r\n", "Host: user@example.com\r\n",
        "Host: example.com:http\r\n", "Host: example.com\r\nHost: evil.test\r\n", "Host: evil.test/x\r\n"})
    void missingOrInvalidHostIs400AndClose(String hostHeader) throws Exception {
        List<RawResponse> rs = exchange("GET /p HTTP/1.1\r\n" + hostHeader + "\r\n"
                + "GET /q HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(rs).as(hostHeader).hasSize(1);
        assertThat(rs.get(0).status()).as(hostHeader).isEqualTo(400);
        assertThat(rs.get(0).header("location")).isEmpty();
        assertThat(rs.get(0).header("connection")).hasValue("close");
    }

    @Test
    void http10WithoutHostIs400() throws Exception {
        List<RawResponse> rs = exchange("GET /p HTTP/1.0\r\n\r\n");
        assertThat(rs).extracting(RawResponse::status).containsExactly(400);
    }

    @Test
    void acmeChallengePathIsReserved() throws Exception {
        List<RawResponse> rs = exchange("GET /.well-known/acme-challenge/x HTTP/1.1\r\nHost: example.com\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(rs).hasSize(1);
        assertThat(rs.get(0).status()).isEqualTo(404);
        assertThat(rs.get(0).header("location")).isEmpty();
        assertThat(rs.get(0).header("strict-transport-security")).isEmpty();
    }

    @Test
    void keepAliveServesTwoRequestsOnOneConnection() throws Exception {
        try (RawConnection c = RawConnection.plain(server.httpPort())) {
            c.write("GET /one HTTP/1.1\r\nHost: example.com\r\n\r\n");
            RawResponse first = c.readResponse();
            assertThat(first.header("location")).hasValue(location("example.com/one"));
            assertThat(first.header("connection")).isEmpty();
            c.write("POST /two?x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nbody");
            RawResponse second = c.readResponse();
            assertThat(second.header("location")).hasValue(location("localhost/two?x"));
            // pipelined, including a chunked body that must be skipped, not read as a request
            c.write("POST /three HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1d\r\nGET /smuggled HTTP/1.1\r\nHost:\r\n0\r\n\r\n"
                    + "GET /four HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
            List<RawResponse> rest = c.readUntilClosed();
            assertThat(rest).extracting(r -> r.header("location").orElse("?"))
                    .containsExactly(location("example.com/three"), location("example.com/four"));
        }
    }

    @Test
    void ambiguousFramingIsRefusedOnThePlainListenerToo() throws Exception {
        List<RawResponse> rs = exchange("POST /x HTTP/1.1\r\nHost: example.com\r\nContent-Length: 44\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(rs).hasSize(1);
        assertThat(rs.get(0).status()).isEqualTo(400);
    }

    @Test
    void absoluteFormTargetIsNotTurnedIntoAnOpenRedirect() throws Exception {
        List<RawResponse> rs = exchange("GET http://evil.test/x HTTP/1.1\r\nHost: example.com\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(rs).hasSize(1);
        RawResponse r = rs.get(0);
        if (r.status() == 308) {
            assertThat(r.header("location").orElseThrow()).startsWith("https://example.com:");
        } else {
            assertThat(r.status()).isEqualTo(400);
        }
    }

    @AfterAll
    static void httpsStillServes() throws Exception {
        try (RawConnection c = RawConnection.tls(server, "example.com")) {
            c.write("GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("https");
        }
    }
}
