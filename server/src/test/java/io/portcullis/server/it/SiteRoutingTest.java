package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sites, routes, the fixed handlers and response headers, over HTTP/1.1 and HTTP/2 alike. */
class SiteRoutingTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites:
              - hosts: [localhost]
                routes:
                  - path: /hello
                    methods: [GET, HEAD]
                    respond: {status: 200, body: "hello world\\n"}
                  - path: /api/*
                    respond: {status: 201, body: "api", headers: {X-Route: api}}
                  - path: /old/*
                    redirect: {to: "https://example.org{uri}", status: 301}
                  - path: /frame
                    respond: {body: "framed", headers: {X-Frame-Options: DENY}}
              - hosts: [secure.test, "*.wild.test"]
                hsts: on
                headers:
                  add: {Content-Security-Policy: "default-src 'self'", X-Extra: "1"}
                  remove: [X-Frame-Options]
                routes:
                  - respond: "secure site"
            """);

    private HttpResponse<String> get(Version version, String path) throws Exception {
        return send(version, HttpRequest.newBuilder(server.uri(path)).GET().build());
    }

    private HttpResponse<String> send(Version version, HttpRequest request) throws Exception {
        HttpClient client = server.httpClient(version);
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void respondRouteWithSecurityHeadersAndNoServerHeader(Version version) throws Exception {
        HttpResponse<String> r = get(version, "/hello");
        assertThat(r.version()).isEqualTo(version);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello world\n");
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("x-frame-options")).hasValue("SAMEORIGIN");
        assertThat(r.headers().firstValue("referrer-policy")).hasValue("strict-origin-when-cross-origin");
        assertThat(r.headers().firstValue("server")).isEmpty();
        // local-CA site: HSTS off by default
        assertThat(r.headers().firstValue("strict-transport-security")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void globRouteAndHandlerHeaders(Version version) throws Exception {
        HttpResponse<String> r = get(version, "/api/v1/things?x=1");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("api");
        assertThat(r.headers().firstValue("x-route")).hasValue("api");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void handlerHeaderWinsOverDefaultSecurityHeader(Version version) throws Exception {
        HttpResponse<String> r = get(version, "/frame");
        assertThat(r.headers().allValues("x-frame-options")).containsExactly("DENY");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void redirectTemplateKeepsPathAndQuery(Version version) throws Exception {
        HttpResponse<String> r = get(version, "/old/a%20b?q=1");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("location")).hasValue("https://example.org/old/a%20b?q=1");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void unknownPathIs404WithRequestIdThatIsInTheAccessLog(Version version) throws Exception {
        HttpResponse<String> r = get(version, "/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        String id = r.body().replaceAll("(?s).*<code>([0-9a-f]{16})</code>.*", "$1");
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.");
        JsonNode line = findLogLine(id);
        assertThat(line.get("status").asInt()).isEqualTo(404);
        assertThat(line.get("uri").asText()).isEqualTo("/nope");
        assertThat(line.get("host").asText()).isEqualTo("localhost");
        assertThat(line.get("protocol").asText()).isEqualTo(version == Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1");
        assertThat(line.get("tls_version").asText()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(line.get("tls_cipher").asText()).startsWith("TLS_");
        assertThat(line.get("client_ip").asText()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void wrongMethodIs405(Version version) throws Exception {
        HttpResponse<String> r = send(version, HttpRequest.newBuilder(server.uri("/hello"))
                .DELETE().build());
        assertThat(r.statusCode()).isEqualTo(405);
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void headGetsHeadersWithoutBody(Version version) throws Exception {
        HttpResponse<String> r = send(version, HttpRequest.newBuilder(server.uri("/hello"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("content-length")).hasValue("12");
    }

    @Test
    void siteChosenByHostWithWildcardHstsAndHeaderEdits() throws Exception {
        for (String host : List.of("secure.test", "a.wild.test")) {
            RawResponse r = RawHttpsClient.get(server, host, "/");
            assertThat(r.status()).as(host).isEqualTo(200);
            assertThat(r.body()).isEqualTo("secure site");
            assertThat(r.header("strict-transport-security")).hasValue("max-age=63072000; includeSubDomains");
            assertThat(r.header("content-security-policy")).hasValue("default-src 'self'");
            assertThat(r.header("x-frame-options")).isEmpty();
            assertThat(r.header("x-content-type-options")).hasValue("nosniff");
        }
        // a.b.wild.test is two labels deep: the wildcard does not match, the default (first) site answers.
        RawResponse other = RawHttpsClient.get(server, "a.b.wild.test", "/hello");
        assertThat(other.body()).isEqualTo("hello world\n");
    }

    private JsonNode findLogLine(String requestId) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        long deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline) {
            for (String line : server.accessLogLines(1)) {
                JsonNode node = mapper.readTree(line);
                if (requestId.equals(node.path("request_id").asText())) {
                    return node;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("request " + requestId + " not in access log " + server.accessLogLines(0));
    }
}
