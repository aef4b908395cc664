package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawServer;
import io.portcullis.server.testing.WebSocketFrames;
import io.portcullis.server.testing.WebSocketFrames.Frame;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WebSocket through the real server: the HTTP/1.1 Upgrade is relayed to the upstream, the 101 comes back, and then
 * frames flow both ways as raw bytes (including bytes the upstream sent right behind its 101). WebSocket over HTTP/2
 * (RFC 8441) is not offered; an HTTP/2 client gets an ordinary answer, never a 101 and never a hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyWebSocketServerTest {
    static final RawServer echo = start();

    @RegisterExtension
    @Order(2)
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /ws-idle/*
                    proxy: {upstreams: ["%1$s"], idle_timeout: 1s}
                  - path: /ws/*
                    proxy: {upstreams: ["%1$s"]}
            """.formatted(echo.uri()));

    static RawServer start() {
        try {
            return RawServer.webSocketEcho();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopEcho() throws Exception {
        echo.close();
    }

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** Sends the opening handshake on a raw TLS connection and returns the response head. */
    private static String handshake(RawHttpsClient c, String path) throws Exception {
        OutputStream out = c.socket().getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + server.httpsPort() + "\r\nUpgrade: websocket\r\n"
                + "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: https://localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return RawServer.readHead(c.socket().getInputStream());
    }

    @Test
    void relaysWebSocketFramesBothWaysOverHttp1() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (RawHttpsClient c = RawHttpsClient.connect(server, "localhost")) {
            c.setTimeoutMillis(5000);
            String head = handshake(c, "/ws/chat?m=" + marker);
            assertThat(head).startsWith("HTTP/1.1 101");
            assertThat(RawServer.header(head, "sec-websocket-accept")).isEqualTo(WebSocketFrames.accept(KEY));
            assertThat(RawServer.header(head, "upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(RawServer.header(head, "connection")).containsIgnoringCase("upgrade");
            InputStream in = c.socket().getInputStream();
            OutputStream out = c.socket().getOutputStream();

            Frame greeting = WebSocketFrames.read(in); // sent by the upstream right behind its 101
            assertThat(greeting.opcode()).isEqualTo(WebSocketFrames.TEXT);
            assertThat(greeting.text()).isEqualTo("hello-from-upstream");

            WebSocketFrames.write(out, WebSocketFrames.TEXT, "ping over the proxy".getBytes(StandardCharsets.UTF_8), true);
            assertThat(WebSocketFrames.read(in).text()).isEqualTo("ping over the proxy");

            // a large binary message, written while the echo is read (both directions busy at once)
            byte[] payload = ProxyTesting.randomBytes(3 << 20, 7);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    WebSocketFrames.write(out, WebSocketFrames.BINARY, payload, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Frame back = WebSocketFrames.read(in);
            writer.get(10, TimeUnit.SECONDS);
            assertThat(back.opcode()).isEqualTo(WebSocketFrames.BINARY);
            assertThat(ProxyTesting.sha256(back.payload())).isEqualTo(ProxyTesting.sha256(payload));

            WebSocketFrames.write(out, WebSocketFrames.PING, "p".getBytes(StandardCharsets.UTF_8), true);
            Frame pong = WebSocketFrames.read(in);
            assertThat(pong.opcode()).isEqualTo(WebSocketFrames.PONG);

            WebSocketFrames.write(out, WebSocketFrames.CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
            Frame close = WebSocketFrames.read(in);
            assertThat(close.opcode()).isEqualTo(WebSocketFrames.CLOSE);
            // the upstream closes its TCP connection after the close frame; the proxy closes ours
            long start = System.nanoTime();
            assertThat(c.isClosedByPeer()).isTrue();
            assertThat(ProxyTesting.since(start)).isLessThan(Duration.ofSeconds(3));
        }
        String line = ProxyTesting.logLine(server, marker);
        assertThat(line).contains("\"status\":101", "\"upstream_status\":\"101\"",
                "\"upstream\":\"127.0.0.1:" + echo.port() + "\"");
    }

    @Test
    void clientClosingTheTunnelClosesTheUpstream() throws Exception {
        int before = echo.peerClosed.get();
        try (RawHttpsClient c = RawHttpsClient.connect(server, "localhost")) {
            assertThat(handshake(c, "/ws/leave")).startsWith("HTTP/1.1 101");
            assertThat(WebSocketFrames.read(c.socket().getInputStream()).text()).isEqualTo("hello-from-upstream");
        } // TCP close without a close frame
        assertThat(ProxyTesting.await(Duration.ofSeconds(5), () -> echo.peerClosed.get() > before)).isTrue();
    }

    @Test
    void silentTunnelIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawHttpsClient c = RawHttpsClient.connect(server, "localhost")) {
            c.setTimeoutMillis(10_000);
            assertThat(handshake(c, "/ws-idle/x")).startsWith("HTTP/1.1 101");
            assertThat(WebSocketFrames.read(c.socket().getInputStream()).text()).isEqualTo("hello-from-upstream");
            long start = System.nanoTime();
            assertThat(c.isClosedByPeer()).isTrue();
            assertThat(ProxyTesting.since(start)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(4));
        }
    }

    @Test
    void jdkWebSocketClientOverTheProxy() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket ws = server.httpClient(Version.HTTP_1_1).newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("wss://localhost:" + server.httpsPort() + "/ws/jdk"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("hello-from-upstream");
        ws.sendText("über the proxy", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("über the proxy");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void webSocketAttemptOverHttp2GetsAPlainAnswer() throws Exception {
        long start = System.nanoTime();
        // What an HTTP/2 client can send: no Connection/Upgrade (connection-specific, forbidden in HTTP/2), so the
        // upstream sees a plain GET and answers it like one
        HttpResponse<String> r = server.httpClient(Version.HTTP_2).send(HttpRequest.newBuilder(server.uri("/ws/h2"))
                .header("Sec-WebSocket-Key", KEY).header("Sec-WebSocket-Version", "13")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(Version.HTTP_2);
        assertThat(r.statusCode()).isEqualTo(426);
        assertThat(r.body()).isEqualTo("not upgraded");
        assertThat(ProxyTesting.since(start)).isLessThan(Duration.ofSeconds(3));
    }
}
