package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling: every ambiguous framing (Content-Length with Transfer-Encoding, Transfer-Encoding that is not a
 * single plain {@code chunked}, conflicting Content-Lengths, Transfer-Encoding on HTTP/1.0, header syntax a
 * back-end might read differently) is refused with 400, the connection is closed, and the request smuggled behind it is
 * never answered: each test reads until the server closes and finds exactly one response.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmugglingTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites:
              - hosts: [localhost]
                routes:
                  - path: /smuggled
                    respond: {status: 200, body: "SMUGGLED"}
                  - respond: {status: 200, body: "front"}
            """).withBystander("/", 200);

    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";

    static Stream<Arguments> ambiguousFraming() {
        // Each payload is written in one go; the bytes after the first request's head are what a lenient parser would
        // take for a second request (GET /smuggled).
        String chunkedSmuggle = "0\r\n\r\n" + SMUGGLED;
        String clTe = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + chunkedSmuggle.length()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedSmuggle;
        String teClBody = Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n";
        String teCl = "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                + teClBody;
        return Stream.of(
                Arguments.of("CL.TE", clTe),
                Arguments.of("TE.CL", teCl),
                Arguments.of("TE xchunked", te("xchunked") + chunkedSmuggle),
                Arguments.of("TE chunked, identity", te("chunked, identity") + chunkedSmuggle),
                Arguments.of("TE identity, chunked", te("identity, chunked") + chunkedSmuggle),
                Arguments.of("TE chunked twice", head("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked")
                        + chunkedSmuggle),
                Arguments.of("TE chunked then x", head("Transfer-Encoding: chunked\r\nTransfer-Encoding: x")
                        + chunkedSmuggle),
                Arguments.of("TE with space before colon", head("Transfer-Encoding : chunked") + chunkedSmuggle),
                Arguments.of("TE obs-fold", head("X-A: 1\r\nTransfer-Encoding:\r\n chunked") + chunkedSmuggle),
                Arguments.of("TE value with vertical tab", head("Transfer-Encoding: \u000bchunked") + chunkedSmuggle),
                Arguments.of("TE value chunked;x", te("chunked;x=1") + chunkedSmuggle),
                Arguments.of("TE quoted", te("\"chunked\"") + chunkedSmuggle),
                Arguments.of("TE name with tab", head("Transfer-Encoding\t: chunked") + chunkedSmuggle),
                Arguments.of("TE with CL behind obs-fold",
                        head("Content-Length: 5\r\n Transfer-Encoding: chunked") + chunkedSmuggle),
                Arguments.of("TE on HTTP/1.0", "POST / HTTP/1.0\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: keep-alive\r\n\r\n" + chunkedSmuggle),
                Arguments.of("two different Content-Lengths",
                        head("Content-Length: 0\r\nContent-Length: " + SMUGGLED.length()) + SMUGGLED),
                Arguments.of("Content-Length list", head("Content-Length: 0, " + SMUGGLED.length()) + SMUGGLED),
                Arguments.of("Content-Length with plus", head("Content-Length: +" + SMUGGLED.length()) + SMUGGLED),
                Arguments.of("Content-Length negative", head("Content-Length: -1") + SMUGGLED),
                Arguments.of("Content-Length hex", head("Content-Length: 0x10") + SMUGGLED),
                Arguments.of("Content-Length with space before colon", head("Content-Length : 0") + SMUGGLED));
    }

    private static String head(String framingHeaders) {
        return "POST / HTTP/1.1\r\nHost: localhost\r\n" + framingHeaders + "\r\n\r\n";
    }

    private static String te(String value) {
        return head("Transfer-Encoding: " + value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguousFraming")
    void ambiguousFramingIs400AndCloseAndTheSmuggledRequestIsNeverAnswered(String name, String payload)
            throws Exception {
        List<RawResponse> responses;
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write(payload);
            responses = c.readUntilClosed();
        }
        assertThat(responses).as("responses to %s", name).hasSize(1);
        assertThat(responses.get(0).status()).as(name).isEqualTo(400);
        assertThat(responses.get(0).header("connection")).as(name).hasValue("close");
        assertThat(responses).noneMatch(r -> r.body().contains("SMUGGLED"));
    }

    @Test
    void plainChunkedRequestIsAcceptedAndKeepsTheConnection() throws Exception {
        // The control case: the same framing, unambiguous, is served and the next request on the connection too.
        try (RawConnection c = RawConnection.tls(server)) {
            c.write("POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /smuggled HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            List<RawResponse> responses = c.readUntilClosed();
            assertThat(responses).extracting(RawResponse::body).containsExactly("front", "SMUGGLED");
        }
    }

    @Test
    void contentLengthBodyIsNotReadAsANewRequest() throws Exception {
        // A body that looks like a request is body, not a request.
        try (RawConnection c = RawConnection.tls(server)) {
            c.write(head("Content-Length: " + SMUGGLED.length()) + SMUGGLED
                    + "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            List<RawResponse> responses = c.readUntilClosed();
            assertThat(responses).extracting(RawResponse::body).containsExactly("front", "front");
        }
    }

    @Test
    void duplicateIdenticalContentLengthsAreRefusedToo() throws Exception {
        // RFC 9112 allows merging identical values; a front door in front of other servers refuses instead.
        try (RawConnection c = RawConnection.tls(server)) {
            c.timeoutMillis(5000);
            c.write(head("Content-Length: 3\r\nContent-Length: 3") + "abc" + SMUGGLED);
            List<RawResponse> responses = c.readUntilClosed();
            assertThat(responses).hasSize(1);
            assertThat(responses.get(0).status()).isEqualTo(400);
        }
    }
}
