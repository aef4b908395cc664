package io.portcullis.server.http3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicSslContext;
import io.portcullis.server.testing.H3Client;
import io.portcullis.server.testing.HttpTestClient.Response;
import io.portcullis.server.testing.NginxUpstream;
import io.portcullis.server.testing.PortcullisExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 0-RTT over HTTP/3 with a real resuming client: off by default (the ticket allows no early data, so the client never
 * sends any); with {@code quic.early_data: true} a safe request in early data is served and reaches the upstream with
 * {@code Early-Data: 1}, an unsafe one gets 425 and succeeds when sent again after the handshake.
 */
class Http3EarlyDataTest {
    @RegisterExtension
    @Order(1)
    static NginxUpstream nginx = new NginxUpstream("early")
            .withLocations("location ~ /early$ { return 200 \"early=[$http_early_data] $request_method\"; }");

    private static final String SITES = """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /hello
                    respond: "hello"
                  - path: /up/*
                    proxy: {upstreams: ["%s"]}
            """;

    @RegisterExtension
    @Order(2)
    static PortcullisExtension withEarlyData = PortcullisExtension.fromYaml(() ->
            "quic: {early_data: true}\n" + SITES.formatted(nginx.uri()));

    @RegisterExtension
    @Order(3)
    static PortcullisExtension byDefault = PortcullisExtension.fromYaml(() -> SITES.formatted(nginx.uri()));

    /** A first full handshake, so the context holds a session ticket for the next connection. */
    private static QuicSslContext resumable(PortcullisExtension server) throws Exception {
        QuicSslContext ssl = H3Client.resumingContext(server.caFile());
        try (H3Client first = H3Client.connect(ssl, "localhost", server.server().http3Port())) {
            assertThat(first.get("/hello").status()).isEqualTo(200);
        }
        return ssl;
    }

    @Test
    void safeRequestInEarlyDataIsServedAndMarkedForTheUpstream() throws Exception {
        QuicSslContext ssl = resumable(withEarlyData);
        String marker = UUID.randomUUID().toString();
        H3Client.EarlyRequest early = H3Client.connectSendingEarly(ssl, "localhost",
                withEarlyData.server().http3Port(), "GET", "/up/early?m=" + marker, Map.of());
        try (H3Client c = early.client()) {
            assertThat(early.sentInEarlyData()).as("the client sent the request in 0-RTT").isTrue();
            Response r = early.response();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("early=[1] GET");
            assertThat(withEarlyData.accessLogLine(marker)).contains("\"early_data\":\"1\"");
            // The same connection after the handshake: no longer early.
            assertThat(c.get("/up/early").bodyText()).isEqualTo("early=[] GET");
        }
    }

    @Test
    void unsafeRequestInEarlyDataIsTooEarlyAndSucceedsAfterTheHandshake() throws Exception {
        QuicSslContext ssl = resumable(withEarlyData);
        String marker = UUID.randomUUID().toString();
        H3Client.EarlyRequest early = H3Client.connectSendingEarly(ssl, "localhost",
                withEarlyData.server().http3Port(), "POST", "/up/early?m=" + marker, Map.of());
        try (H3Client c = early.client()) {
            assertThat(early.sentInEarlyData()).isTrue();
            Response r = early.response();
            assertThat(r.status()).isEqualTo(425);
            assertThat(r.bodyText()).contains("425 Too Early");
            assertThat(nginx.requestCount(marker)).as("never reached the upstream").isZero();
            // RFC 8470: the client retries once the handshake is done, and then it is served.
            Response retried = c.request("POST", "/up/early?m=" + marker, Map.of(), new byte[0]);
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.bodyText()).isEqualTo("early=[] POST");
        }
    }

    @Test
    void earlyDataIsOffByDefault() throws Exception {
        QuicSslContext ssl = resumable(byDefault);
        H3Client.EarlyRequest early = H3Client.connectSendingEarly(ssl, "localhost", byDefault.server().http3Port(),
                "GET", "/up/early", Map.of());
        try (H3Client c = early.client()) {
            assertThat(early.sentInEarlyData()).as("the server's ticket allows no early data").isFalse();
            assertThat(c.get("/up/early").bodyText()).isEqualTo("early=[] GET");
        }
    }
}
