package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** IP allow/deny per site and per route, from 127.0.0.1, over HTTP/1.1 and HTTP/2 alike. */
class AccessControlTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            ranges:
              office: [10.0.0.0/8, "2001:db8::/32"]
              loopback: [127.0.0.0/8, "::1"]
            sites:
              - hosts: [localhost]
                routes:
                  - path: /admin/*
                    access: {allow: [office]}
                    respond: "ADMIN-SECRET"
                  - path: /local/*
                    access: {allow: [loopback]}
                    respond: "local"
                  - path: /hidden/*
                    access: {deny: [127.0.0.1], denied: close}
                    respond: "hidden"
                  - respond: "open"
              - hosts: [closed.test]
                access: {allow: [office], denied: close}
                routes:
                  - respond: "never from loopback"
            """);

    private static HttpResponse<String> get(Version version, String path) throws Exception {
        HttpClient client = server.httpClient(version);
        return client.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void routeAllowListRefusesOtherAddressesWith403(Version version) throws Exception {
        HttpResponse<String> r = get(version, "/admin/panel");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("ADMIN-SECRET");
        assertThat(get(version, "/local/x").statusCode()).isEqualTo(200);
        assertThat(get(version, "/local/x").body()).isEqualTo("local");
        assertThat(get(version, "/other").body()).isEqualTo("open");
    }

    @Test
    void rulesApplyToTheNormalisedPath() throws Exception {
        for (String path : List.of("/%61dmin/panel", "/x/../admin/panel", "/./admin/panel", "/admin/./panel")) {
            RawResponse r = RawHttpsClient.get(server, "localhost", path);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.body()).as(path).doesNotContain("ADMIN-SECRET");
        }
        // Whatever the normaliser makes of these, they never reach the route's handler from a refused address.
        for (String path : List.of("//admin//panel", "/admin%2Fpanel", "/ADMIN/../admin/x", "/admin%00/x")) {
            RawResponse r = RawHttpsClient.get(server, "localhost", path);
            assertThat(r.body()).as(path).doesNotContain("ADMIN-SECRET");
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void denyWithCloseAnswersNothingAndOthersStillServed(Version version) throws Exception {
        // Closed at once, not left hanging: a timeout would mean the client got neither an answer nor a close.
        assertThatThrownBy(() -> get(version, "/hidden/x")).isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(get(version, "/other").statusCode()).isEqualTo(200);
    }

    @Test
    void siteRulesCoverEveryRouteOfTheSite() throws Exception {
        try (RawHttpsClient c = RawHttpsClient.connect(server, "closed.test")) {
            c.write("GET / HTTP/1.1\r\nHost: closed.test\r\n\r\n");
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void refusalsAreInTheAccessLogWithTheRule() throws Exception {
        get(Version.HTTP_1_1, "/admin/log-me");
        assertThat(server.accessLogLine("/admin/log-me")).contains("\"status\":403")
                .contains("\"denied\":\"route 0 allow\"");
    }
}
