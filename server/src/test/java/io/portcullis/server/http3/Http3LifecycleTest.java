package io.portcullis.server.http3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.H3Client;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import io.portcullis.server.testing.TestUpstream;
import io.portcullis.server.testing.Trust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The UDP listener's life: Alt-Svc follows it, the switches turn it off, and a graceful stop drains it. */
class Http3LifecycleTest {

    private static PortcullisServer start(String extra, String routes) throws Exception {
        Path dir = Files.createTempDirectory("h3-life-");
        String yaml = """
                data_dir: "%s"
                access_log: {output: "off"}
                listeners:
                  https: {address: 127.0.0.1, port: 0%s}
                  http: {enabled: false}
                %s
                sites:
                  - hosts: [localhost]
                    routes:
                %s
                      - respond: "ok"
                """.formatted(dir, extra.startsWith(",") ? extra : "", extra.startsWith(",") ? "" : extra, routes);
        return PortcullisServer.start(ConfigLoader.loadString(yaml, "t.yaml", dir));
    }

    private static RawResponse h1Get(PortcullisServer server) throws Exception {
        try (RawHttpsClient c = RawHttpsClient.connect(Trust.localCa(server.certs().localCaRoot()),
                server.httpsPort(), "localhost")) {
            c.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            return c.readResponse();
        }
    }

    @Test
    void http3OffMeansNoUdpListenerAndNoAltSvc() throws Exception {
        PortcullisServer server = start(", http3: false", "");
        try {
            assertThat(server.http3Port()).isEqualTo(-1);
            RawResponse r = h1Get(server);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("alt-svc")).isEmpty();
            assertThatThrownBy(() -> H3Client.connect(server.certs().localCaRoot(), "localhost",
                    server.httpsPort()).close()).isNotNull();
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void altSvcSwitchOffKeepsQuicButDoesNotAdvertise() throws Exception {
        PortcullisServer server = start("quic: {alt_svc: false}", "");
        try {
            assertThat(h1Get(server).header("alt-svc")).isEmpty();
            try (H3Client c = H3Client.connect(server.certs().localCaRoot(), "localhost", server.http3Port())) {
                assertThat(c.get("/").status()).isEqualTo(200);
            }
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void altSvcPresentExactlyWhileQuicAnswers() throws Exception {
        PortcullisServer server = start("", "");
        try {
            try (H3Client c = H3Client.connect(server.certs().localCaRoot(), "localhost", server.http3Port())) {
                assertThat(c.get("/").status()).isEqualTo(200);
            }
            assertThat(h1Get(server).header("alt-svc")).contains("h3=\":" + server.httpsPort() + "\"; ma=86400");
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void reloadReachesHttp3AndRefusesQuicTransportChanges() throws Exception {
        Path dir = Files.createTempDirectory("h3-reload-");
        String yaml = """
                data_dir: "%s"
                access_log: {output: "off"}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {enabled: false}
                %s
                sites: [{hosts: [localhost], routes: [{respond: "%s"}]}]
                """;
        PortcullisServer server = PortcullisServer.start(ConfigLoader.loadString(
                yaml.formatted(dir, "", "before"), "t.yaml", dir));
        try (H3Client c = H3Client.connect(server.certs().localCaRoot(), "localhost", server.http3Port())) {
            assertThat(c.get("/").bodyText()).isEqualTo("before");
            server.reload(ConfigLoader.loadString(yaml.formatted(dir, "", "after"), "t.yaml", dir));
            assertThat(c.get("/").bodyText()).as("same QUIC connection, new runtime").isEqualTo("after");
            assertThatThrownBy(() -> server.reload(ConfigLoader.loadString(
                    yaml.formatted(dir, "quic: {idle_timeout: 5s}", "x"), "t.yaml", dir)))
                    .hasMessageContaining("quic");
            server.reload(ConfigLoader.loadString(yaml.formatted(dir, "quic: {alt_svc: false}", "after"), "t.yaml",
                    dir));
            assertThat(h1Get(server).header("alt-svc")).as("alt_svc applies on reload").isEmpty();
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void gracefulStopSendsGoAwayAndFinishesTheRequestInFlight() throws Exception {
        try (TestUpstream upstream = TestUpstream.start()) {
            upstream.slowArrived = new CountDownLatch(1);
            upstream.slowMillis = 1500;
            PortcullisServer server = start("", """
                          - path: /slow
                            proxy: {upstreams: ["%s"]}
                    """.formatted(upstream.uri()));
            try (H3Client c = H3Client.connect(server.certs().localCaRoot(), "localhost", server.http3Port())) {
                CompletableFuture<H3Client.Response> slow = CompletableFuture.supplyAsync(() -> {
                    try {
                        return c.get("/slow");
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                assertThat(upstream.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(10)));
                assertThat(c.goAway().get(5, TimeUnit.SECONDS)).isEqualTo((1L << 62) - 4);
                assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
                stopped.get(15, TimeUnit.SECONDS);
            } finally {
                server.stop(Duration.ZERO);
            }
        }
    }
}
