package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.NginxUpstream;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.TestCa;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * https upstreams through the real server: the upstream's certificate is verified against the configured CA and
 * name ({@code proxy.tls}); a chain from another CA, the wrong name, or the JDK trust store (which does not know the
 * test CA) is a 502, never a silent downgrade. Pooled TLS connections are reused like plain ones.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyTlsUpstreamServerTest {
    static final TestCa ca = TestCa.createUnchecked("proxy");
    static final TestCa otherCa = TestCa.createUnchecked("other");

    @RegisterExtension
    @Order(1)
    static NginxUpstream tlsNginx = new NginxUpstream("tls").withTls(ca.serverChain, ca.serverKey);

    @RegisterExtension
    @Order(2)
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /trusted/*
                    proxy: {upstreams: ["%1$s"], tls: {ca: "%3$s", server_name: localhost}}
                  - path: /by-name/*
                    proxy: {upstreams: ["https://localhost:%2$d"], tls: {ca: "%3$s"}}
                  - path: /by-ip/*
                    proxy: {upstreams: ["%1$s"], tls: {ca: "%3$s"}}
                  - path: /wrong-ca/*
                    proxy: {upstreams: ["%1$s"], tls: {ca: "%4$s", server_name: localhost}, connect_timeout: 1s}
                  - path: /wrong-name/*
                    proxy: {upstreams: ["%1$s"], tls: {ca: "%3$s", server_name: not-this-host.example}, connect_timeout: 1s}
                  - path: /jdk-trust/*
                    proxy: {upstreams: ["%1$s"], connect_timeout: 1s}
                  - path: /insecure/*
                    proxy: {upstreams: ["%1$s"], tls: {verify: false}}
            """.formatted(tlsNginx.uri(), tlsNginx.port(), ca.caCert, otherCa.caCert));

    @AfterAll
    static void deleteCas() {
        ca.close();
        otherCa.close();
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void verifiedHttpsUpstreamWithPooledConnections(Version v) throws Exception {
        HttpClient client = server.httpClient(v);
        HttpResponse<String> r = get(client, "/trusted/name");
        assertThat(r.version()).isEqualTo(v);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("tls");
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            serials.add(get(client, "/trusted/conn").body());
        }
        assertThat(serials).as("one pooled TLS connection serves them all").containsOnly(serials.get(0));
        String marker = UUID.randomUUID().toString();
        assertThat(get(client, "/trusted/hello?m=" + marker).body()).isEqualTo("hello from nginx\n");
        assertThat(ProxyTesting.logLine(server, marker))
                .contains("\"upstream\":\"127.0.0.1:" + tlsNginx.port() + "\"", "\"upstream_status\":\"200\"");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void upstreamNameDefaultsToTheUpstreamHost(Version v) throws Exception {
        HttpClient client = server.httpClient(v);
        assertThat(get(client, "/by-name/name").body()).isEqualTo("tls"); // SNI and check: localhost
        assertThat(get(client, "/by-ip/name").body()).isEqualTo("tls"); // checked against the IP SAN 127.0.0.1
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void untrustedUpstreamCertificateIs502(Version v) throws Exception {
        HttpClient client = server.httpClient(v);
        for (String route : List.of("/wrong-ca/", "/wrong-name/", "/jdk-trust/")) {
            long start = System.nanoTime();
            HttpResponse<String> r = get(client, route + "name");
            assertThat(r.statusCode()).as(route).isEqualTo(502);
            assertThat(r.body()).as(route).doesNotContain("tls"); // nothing of the upstream's answer leaks
            assertThat(ProxyTesting.since(start)).as(route).isLessThan(Duration.ofSeconds(3));
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void verifyFalseAcceptsAnyCertificate(Version v) throws Exception {
        assertThat(get(server.httpClient(v), "/insecure/name").body()).isEqualTo("tls");
    }
}
