package io.portcullis.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import io.portcullis.server.http.TlsInfo;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class EarlyDataPolicyTest {
    private static Request request(String method, boolean earlyData) {
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 50000);
        return new Request(HttpMethod.valueOf(method), "https", "localhost", "localhost", "/", "/", null,
                new DefaultHttpHeaders(), 0, Protocol.HTTP_3, peer, peer,
                new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "localhost", "h3", null, earlyData), "id");
    }

    @Test
    void onlySafeMethodsAreServedFromEarlyData() {
        for (String safe : new String[] {"GET", "HEAD", "OPTIONS"}) {
            assertThat(EarlyDataPolicy.tooEarly(request(safe, true))).as(safe).isFalse();
        }
        for (String unsafe : new String[] {"POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PURGE"}) {
            assertThat(EarlyDataPolicy.tooEarly(request(unsafe, true))).as(unsafe).isTrue();
        }
    }

    @Test
    void requestsAfterTheHandshakeAreNeverTooEarly() {
        assertThat(EarlyDataPolicy.tooEarly(request("POST", false))).isFalse();
        assertThat(EarlyDataPolicy.inEarlyData(request("GET", false))).isFalse();
        assertThat(EarlyDataPolicy.inEarlyData(request("GET", true))).isTrue();
        assertThat(EarlyDataPolicy.TOO_EARLY.code()).isEqualTo(425);
    }
}
