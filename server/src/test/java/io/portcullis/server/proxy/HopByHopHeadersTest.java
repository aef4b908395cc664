package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {
    @Test
    void requestStripsHopByHopAndConnectionNamedHeaders() {
        HttpHeaders in = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Hop")
                .add("Connection", "x-other")
                .add("X-Hop", "1").add("X-Other", "2")
                .add("Keep-Alive", "timeout=5").add("Proxy-Connection", "keep-alive")
                .add("TE", "gzip").add("Trailer", "X-T").add("Transfer-Encoding", "chunked")
                .add("Upgrade", "h2c").add("Proxy-Authorization", "Basic x").add("Proxy-Authenticate", "Basic")
                .add("HTTP2-Settings", "AAA").add("Expect", "100-continue")
                .add("Accept", "*/*").add("Authorization", "Bearer t");
        HttpHeaders out = HopByHopHeaders.forRequest(in, false);
        assertThat(out.names()).containsExactlyInAnyOrder("Accept", "Authorization");
    }

    @Test
    void teTrailersSurvives() {
        HttpHeaders out = HopByHopHeaders.forRequest(new DefaultHttpHeaders().add("TE", "trailers, deflate"), false);
        assertThat(out.get("te")).isEqualTo("trailers");
    }

    @Test
    void webSocketUpgradeIsKept() {
        HttpHeaders in = new DefaultHttpHeaders().add("Connection", "keep-alive, Upgrade").add("Upgrade", "websocket")
                .add("Sec-WebSocket-Key", "k");
        assertThat(HopByHopHeaders.isWebSocketUpgrade(in)).isTrue();
        HttpHeaders out = HopByHopHeaders.forRequest(in, true);
        assertThat(out.get("Upgrade")).isEqualTo("websocket");
        assertThat(out.get("Connection")).isEqualTo("Upgrade");
        assertThat(out.get("Sec-WebSocket-Key")).isEqualTo("k");
    }

    @Test
    void upgradeWithoutConnectionUpgradeIsNotWebSocket() {
        assertThat(HopByHopHeaders.isWebSocketUpgrade(new DefaultHttpHeaders().add("Upgrade", "websocket"))).isFalse();
        assertThat(HopByHopHeaders.isWebSocketUpgrade(
                new DefaultHttpHeaders().add("Upgrade", "h2c").add("Connection", "upgrade"))).isFalse();
    }

    @Test
    void cookiesFromHttp2AreJoined() {
        HttpHeaders out = HopByHopHeaders.forRequest(new DefaultHttpHeaders().add("cookie", "a=1").add("cookie", "b=2"), false);
        assertThat(out.getAll("cookie")).containsExactly("a=1; b=2");
    }

    @Test
    void responseKeepsEndToEndHeadersIncludingServer() {
        HttpHeaders in = new DefaultHttpHeaders().add("Connection", "close, X-Secret").add("X-Secret", "s")
                .add("Transfer-Encoding", "chunked").add("Keep-Alive", "timeout=5")
                .add("Server", "nginx").add("Content-Length", "5").add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
        HttpHeaders out = HopByHopHeaders.stripForResponse(in);
        assertThat(out.names()).containsExactlyInAnyOrder("Server", "Content-Length", "Set-Cookie");
        assertThat(out.getAll("Set-Cookie")).containsExactly("a=1", "b=2");
    }

    @Test
    void responseIsStrippedInPlaceWhateverFormTheConnectionFieldTakes() {
        HttpHeaders plain = new DefaultHttpHeaders().add("Connection", "Keep-Alive").add("Keep-Alive", "timeout=5")
                .add("Content-Length", "5");
        assertThat(HopByHopHeaders.stripForResponse(plain)).isSameAs(plain);
        assertThat(plain.names()).containsExactly("Content-Length");

        HttpHeaders named = new DefaultHttpHeaders().add("Connection", "keep-alive, X-Hop").add("connection", "x-hop")
                .add("X-Hop", "1").add("Date", "today");
        assertThat(HopByHopHeaders.connectionTokens(named)).containsExactly("keep-alive", "x-hop");
        assertThat(HopByHopHeaders.stripForResponse(named).names()).containsExactly("Date");
    }
}
