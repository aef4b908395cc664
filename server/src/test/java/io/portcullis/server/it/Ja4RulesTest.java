package io.portcullis.server.it;

import static io.portcullis.server.testing.MetricsScrape.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.config.ConfigLoader;
import io.portcullis.server.testing.MetricsScrape;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.Processes;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JA4 of real clients (the JDK's HTTP client and curl/OpenSSL) in the access log, and rules on it: a deny list added
 * by reload refuses one client software and not the other; a rate limit keyed by JA4 gives each its own bucket;
 * {@code /metrics} counts connections per fingerprint and the refusals by fingerprint as security events.
 */
class Ja4RulesTest {
    private static final String JA4 = "t1[23]d\\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}";
    private static final String SITES = """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /fp
                    access: {deny_ja4: [%s]}
                    respond: "fp"
                  - path: /per-client-software
                    rate_limit: {rate: 1/h, key: ja4}
                    respond: "limited"
                  - respond: "open"
            """;

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(
            SITES.formatted("t13d0000h2_000000000000_000000000000"));

    private static int jdk(Version version, String path) throws Exception {
        return server.httpClient(version).send(HttpRequest.newBuilder(server.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int curl(String path) throws Exception {
        Processes.Result r = Processes.run(Duration.ofSeconds(20), "curl", "-sS", "-o", "/dev/null", "-w",
                "%{http_code}", "--cacert", server.caFile().toString(), "https://localhost:" + server.httpsPort() + path);
        return Integer.parseInt(r.output().strip());
    }

    private static String ja4Of(String uri) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String line : server.accessLogLines(1)) {
            var n = json.readTree(line);
            if (n.path("uri").asText().equals(uri)) {
                return n.path("ja4").asText();
            }
        }
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : server.accessLogLines(1)) {
                var n = json.readTree(line);
                if (n.path("uri").asText().equals(uri)) {
                    return n.path("ja4").asText();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no access log line for " + uri);
    }

    @Test
    void fingerprintsAreLoggedAndUsableInRules() throws Exception {
        // The JDK client resumes TLS sessions after its first handshake, and a resumption hello carries extra
        // extensions (pre_shared_key), so it has a JA4 of its own: deny both.
        assertThat(jdk(Version.HTTP_2, "/who-jdk-1")).isEqualTo(200);
        assertThat(jdk(Version.HTTP_2, "/who-jdk-2")).isEqualTo(200);
        assertThat(curl("/who-curl")).isEqualTo(200);
        String jdkFull = ja4Of("/who-jdk-1");
        String jdkResumed = ja4Of("/who-jdk-2");
        String curlJa4 = ja4Of("/who-curl");
        assertThat(jdkFull).matches(JA4);
        assertThat(jdkResumed).matches(JA4);
        assertThat(curlJa4).matches(JA4).isNotIn(jdkFull, jdkResumed);

        server.server().reload(ConfigLoader.loadString(server.fullYaml(SITES.formatted(jdkFull + ", " + jdkResumed)),
                "reload.yaml", server.dir()));
        assertThat(jdk(Version.HTTP_2, "/fp")).isEqualTo(403);
        assertThat(curl("/fp")).isEqualTo(200);
        assertThat(jdk(Version.HTTP_2, "/other")).isEqualTo(200);
    }

    @Test
    void rateLimitKeyedByFingerprint() throws Exception {
        jdk(Version.HTTP_2, "/warm-up"); // later JDK handshakes are resumptions, with one JA4
        assertThat(jdk(Version.HTTP_2, "/per-client-software")).isEqualTo(200);
        assertThat(jdk(Version.HTTP_2, "/per-client-software")).isEqualTo(429);
        assertThat(curl("/per-client-software")).isEqualTo(200);
        assertThat(curl("/per-client-software")).isEqualTo(429);
        assertThat(List.of(jdk(Version.HTTP_2, "/other"))).containsExactly(200);
    }

    @Test
    void connectionsAreCountedPerFingerprintAndRefusalsAsSecurityEvents() throws Exception {
        jdk(Version.HTTP_2, "/count-warm-up"); // later JDK handshakes are resumptions, with one JA4
        assertThat(jdk(Version.HTTP_2, "/count-jdk")).isEqualTo(200);
        assertThat(curl("/count-curl")).isEqualTo(200);
        String jdkJa4 = ja4Of("/count-jdk");
        String curlJa4 = ja4Of("/count-curl");
        assertThat(curlJa4).isNotEqualTo(jdkJa4);

        String before = MetricsScrape.scrape(server.server());
        for (int i = 0; i < 3; i++) {
            assertThat(jdk(Version.HTTP_2, "/count-jdk-" + i)).isEqualTo(200); // a new client: a new connection
        }
        for (int i = 0; i < 2; i++) {
            assertThat(curl("/count-curl-" + i)).isEqualTo(200);
        }
        String after = MetricsScrape.scrape(server.server());
        assertThat(fingerprints(after, jdkJa4)).isEqualTo(fingerprints(before, jdkJa4) + 3);
        assertThat(fingerprints(after, curlJa4)).isEqualTo(fingerprints(before, curlJa4) + 2);

        // Refused by a JA4 rule (added by reload: the counters survive it) and limited by a JA4-keyed bucket.
        server.server().reload(ConfigLoader.loadString(server.fullYaml(SITES.formatted(curlJa4)), "reload.yaml",
                server.dir()));
        assertThat(curl("/fp")).isEqualTo(403);
        int limited = 0;
        for (int i = 0; i < 2; i++) {
            limited += curl("/per-client-software") == 429 ? 1 : 0;
        }
        assertThat(limited).isGreaterThanOrEqualTo(1); // one token an hour: the second is refused at the latest
        String last = MetricsScrape.scrape(server.server());
        assertThat(fingerprints(last, curlJa4)).isEqualTo(fingerprints(after, curlJa4) + 3);
        assertThat(value(last, "portcullis_security_events_total", "event=\"access_denied\""))
                .isEqualTo(value(after, "portcullis_security_events_total", "event=\"access_denied\"") + 1);
        assertThat(value(last, "portcullis_security_events_total", "event=\"rate_limited\""))
                .isEqualTo(value(after, "portcullis_security_events_total", "event=\"rate_limited\"") + limited);
        assertThat(last.lines().filter(l -> l.startsWith("portcullis_tls_client_fingerprints_total{ja4=\"other\"}")))
                .isEmpty();
    }

    private static double fingerprints(String exposition, String ja4) {
        return value(exposition, "portcullis_tls_client_fingerprints_total", "ja4=\"" + ja4 + "\"");
    }
}
