package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {
    @Test
    void webSocketUpgradeIsRecognised() {
        HttpHeaders in = new DefaultHttpHeaders().add("Connection", "keep-alive, Upgrade").add("Upgrade", "websocket")
                .add("Sec-WebSocket-Key", "k");
        assertThat(HopByHopHeaders.isWebSocketUpgrade(in)).isTrue();
    }

    @Test
    void upgradeWithoutConnectionUpgradeIsNotWebSocket() {
        assertThat(HopByHopHeaders.isWebSocketUpgrade(new DefaultHttpHeaders().add("Upgrade", "websocket"))).isFalse();
        assertThat(HopByHopHeaders.isWebSocketUpgrade(
                new DefaultHttpHeaders().add("Upgrade", "h2c").add("Connection", "upgrade"))).isFalse();
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

    @Test
    void aSingleConnectionFieldNamingAFieldRemovesIt() {
        HttpHeaders in = new DefaultHttpHeaders().add("Date", "today").add("CONNECTION", "X-Trace")
                .add("x-trace", "1").add("Upgrade", "h2c").add("Proxy-Authenticate", "Basic");
        assertThat(HopByHopHeaders.stripForResponse(in).names()).containsExactly("Date");
    }

    @Test
    void aResponseWithoutHopByHopFieldsIsLeftAsItIs() {
        HttpHeaders in = new DefaultHttpHeaders().add("Date", "today").add("Content-Length", "5")
                .add("Trailer-Like", "x").add("TE-X", "y");
        assertThat(HopByHopHeaders.stripForResponse(in).names())
                .containsExactly("Date", "Content-Length", "Trailer-Like", "TE-X");
    }
}
