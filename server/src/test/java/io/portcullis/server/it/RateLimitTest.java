package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-route token buckets through the real server: 429 with Retry-After, keyed by address, header or route. */
class RateLimitTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            trusted_proxies: [127.0.0.0/8]
            sites:
              - hosts: [localhost]
                routes:
                  - path: /by-address
                    rate_limit: {rate: 3/m, burst: 3}
                    respond: "ok"
                  - path: /by-key
                    rate_limit: {rate: 1/h, key: "header:X-Api-Key"}
                    respond: "ok"
                  - path: /whole-route
                    rate_limit: {rate: 2/h, key: route}
                    respond: "ok"
                  - path: /h2
                    rate_limit: {rate: 2/h}
                    respond: "ok"
                  - respond: "free"
            """);

    private static RawResponse get(String path, String headers) throws Exception {
        try (RawHttpsClient c = RawHttpsClient.connect(server, "localhost")) {
            c.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n");
            return c.readResponse();
        }
    }

    @Test
    void addressGetsItsBurstThen429WithRetryAfter() throws Exception {
        String me = "X-Forwarded-For: 198.51.100.1\r\n";
        for (int i = 0; i < 3; i++) {
            assertThat(get("/by-address", me).status()).isEqualTo(200);
        }
        RawResponse limited = get("/by-address", me);
        assertThat(limited.status()).isEqualTo(429);
        long retryAfter = Long.parseLong(limited.header("retry-after").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 20L);
        // Another client (as vouched for by the trusted proxy) has its own bucket; other routes are not limited.
        assertThat(get("/by-address", "X-Forwarded-For: 198.51.100.2\r\n").status()).isEqualTo(200);
        assertThat(get("/free", me).status()).isEqualTo(200);
    }

    @Test
    void headerKeyedBuckets() throws Exception {
        assertThat(get("/by-key", "X-Api-Key: alpha\r\n").status()).isEqualTo(200);
        assertThat(get("/by-key", "X-Api-Key: alpha\r\n").status()).isEqualTo(429);
        assertThat(get("/by-key", "X-Api-Key: beta\r\n").status()).isEqualTo(200);
    }

    @Test
    void routeKeyedBucketIsSharedByEveryone() throws Exception {
        assertThat(get("/whole-route", "X-Forwarded-For: 203.0.113.1\r\n").status()).isEqualTo(200);
        assertThat(get("/whole-route", "X-Forwarded-For: 203.0.113.2\r\n").status()).isEqualTo(200);
        assertThat(get("/whole-route", "X-Forwarded-For: 203.0.113.3\r\n").status()).isEqualTo(429);
    }

    @Test
    void http2StreamsAreLimitedToo() throws Exception {
        HttpClient client = server.httpClient(Version.HTTP_2);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/h2")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(Version.HTTP_2);
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                assertThat(r.headers().firstValue("retry-after")).isPresent();
            }
        }
        assertThat(statuses).containsExactly(200, 200, 429, 429);
    }

    @Test
    void limitedRequestsAreAuditedAndLogged() throws Exception {
        get("/by-key", "X-Api-Key: gamma\r\n");
        get("/by-key", "X-Api-Key: gamma\r\n");
        assertThat(server.accessLogLine("\"rate_limited\":\"route 1\"")).contains("\"status\":429");
        long deadline = System.nanoTime() + 3_000_000_000L;
        var audit = server.dir().resolve("data").resolve("audit.log");
        while (System.nanoTime() < deadline && !(Files.exists(audit) && Files.readString(audit)
                .contains("\"event\":\"rate_limited\""))) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(audit)).contains("\"event\":\"rate_limited\"").contains("\"retry_after\":");
    }
}
