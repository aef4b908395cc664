package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
    static Request request(String clientIp, String authority, HttpHeaders headers) throws Exception {
        return new Request(HttpMethod.GET, "https", authority.replaceFirst(":\\d+$", ""), authority, "/", "/", null,
                headers, 0, Protocol.HTTP_2, new InetSocketAddress(InetAddress.getByName(clientIp), 50000),
                new InetSocketAddress(443), null, "r1");
    }

    @Test
    void setsAllForwardingHeadersForIpv4() throws Exception {
        HttpHeaders out = new DefaultHttpHeaders();
        ForwardedHeaders.write(request("192.0.2.7", "example.com", new DefaultHttpHeaders()), null, null, out::add);
        assertThat(out.get("X-Forwarded-For")).isEqualTo("192.0.2.7");
        assertThat(out.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(out.get("X-Forwarded-Host")).isEqualTo("example.com");
        assertThat(out.get("Forwarded")).isEqualTo("for=192.0.2.7;proto=https;host=example.com");
    }

    @Test
    void consecutiveRequestsOnOneThreadEachGetTheirOwnHop() throws Exception {
        // The previous request's values are reused only for the same client, scheme and host.
        String[][] cases = {{"192.0.2.7", "example.com"}, {"192.0.2.7", "example.com"}, {"192.0.2.8", "example.com"},
                {"192.0.2.8", "example.org"}, {"2001:db8::1", "example.org"}, {"192.0.2.7", "example.com"}};
        for (String[] c : cases) {
            HttpHeaders out = new DefaultHttpHeaders();
            ForwardedHeaders.write(request(c[0], c[1], new DefaultHttpHeaders()), null, null, out::add);
            String ip = InetAddress.getByName(c[0]).getHostAddress();
            String node = c[0].contains(":") ? "\"[" + ip + "]\"" : ip;
            assertThat(out.get("X-Forwarded-For")).isEqualTo(ip);
            assertThat(out.get("X-Forwarded-Host")).isEqualTo(c[1]);
            assertThat(out.get("Forwarded")).isEqualTo("for=" + node + ";proto=https;host=" + c[1]);
        }
    }

    @Test
    void blankPriorListsAreReplaced() throws Exception {
        HttpHeaders out = new DefaultHttpHeaders();
        ForwardedHeaders.write(request("192.0.2.7", "example.com", new DefaultHttpHeaders()), " ", "", out::add);
        assertThat(out.get("X-Forwarded-For")).isEqualTo("192.0.2.7");
        assertThat(out.get("Forwarded")).isEqualTo("for=192.0.2.7;proto=https;host=example.com");
    }

    @Test
    void appendsToExistingListsAndQuotesNonTokens() throws Exception {
        HttpHeaders out = new DefaultHttpHeaders();
        ForwardedHeaders.write(request("192.0.2.7", "example.com:8443", new DefaultHttpHeaders()),
                "10.0.0.1, 10.0.0.2", "for=10.0.0.1", out::add);
        assertThat(out.getAll("X-Forwarded-For")).containsExactly("10.0.0.1, 10.0.0.2, 192.0.2.7");
        assertThat(out.getAll("X-Forwarded-Proto")).containsExactly("https");
        assertThat(out.get("Forwarded")).isEqualTo("for=10.0.0.1, for=192.0.2.7;proto=https;host=\"example.com:8443\"");
    }

    @Test
    void ipv6IsBracketedAndQuotedInForwardedButBareInXff() throws Exception {
        HttpHeaders out = new DefaultHttpHeaders();
        ForwardedHeaders.write(request("2001:db8::1", "[2001:db8::2]:443", new DefaultHttpHeaders()), null, null,
                out::add);
        assertThat(out.get("X-Forwarded-For")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(out.get("Forwarded")).isEqualTo("for=\"[2001:db8:0:0:0:0:0:1]\";proto=https;host=\"[2001:db8::2]:443\"");
    }

    @Test
    void quotesAndEscapes() {
        assertThat(ForwardedHeaders.value("a.b-c")).isEqualTo("a.b-c");
        assertThat(ForwardedHeaders.value("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(ForwardedHeaders.value("")).isEqualTo("\"\"");
    }

    @Test
    void unknownClient() {
        assertThat(ForwardedHeaders.forNode(null)).isEqualTo("unknown");
        assertThat(ForwardedHeaders.clientIp(InetSocketAddress.createUnresolved("x", 1))).isEqualTo("unknown");
    }
}
