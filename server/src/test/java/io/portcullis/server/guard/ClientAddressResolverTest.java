package io.portcullis.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.config.Cidr;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressResolverTest {
    private final ClientAddressResolver resolver = new ClientAddressResolver(
            List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:ffff::/48")));

    private String resolve(String peer, String... headerPairs) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(headerPairs[i], headerPairs[i + 1]);
        }
        return resolver.resolve(new InetSocketAddress(peer, 443), h).getAddress().getHostAddress();
    }

    @Test
    void headersFromAnUntrustedPeerAreIgnored() {
        assertThat(resolve("198.51.100.9", "X-Forwarded-For", "203.0.113.5")).isEqualTo("198.51.100.9");
        assertThat(resolve("198.51.100.9", "Forwarded", "for=203.0.113.5")).isEqualTo("198.51.100.9");
    }

    @Test
    void rightmostUntrustedHopIsTheClient() {
        assertThat(resolve("10.0.0.1", "X-Forwarded-For", "203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(resolve("10.0.0.1", "X-Forwarded-For", "203.0.113.5, 10.9.9.9")).isEqualTo("203.0.113.5");
        // The client wrote the leftmost value itself: it must not choose its own address.
        assertThat(resolve("10.0.0.1", "X-Forwarded-For", "127.0.0.1, 203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(resolve("10.0.0.1", "X-Forwarded-For", "1.1.1.1", "X-Forwarded-For", "203.0.113.5, 10.1.1.1"))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void allHopsTrustedGivesTheLeftmost() {
        assertThat(resolve("10.0.0.1", "X-Forwarded-For", "10.3.3.3, 10.2.2.2")).isEqualTo("10.3.3.3");
    }

    @Test
    void garbageEndsTheWalkAtTheLastAddressRead() {
        assertThat(resolve("10.0.0.1", "X-Forwarded-For", "203.0.113.5, unknown, 10.2.2.2"))
                .isEqualTo("10.2.2.2");
        assertThat(resolve("10.0.0.1", "X-Forwarded-For", "example.com")).isEqualTo("10.0.0.1");
        assertThat(resolve("10.0.0.1", "X-Forwarded-For", "")).isEqualTo("10.0.0.1");
    }

    @Test
    void forwardedIsPreferredAndItsNodesAreParsed() {
        assertThat(resolve("10.0.0.1", "X-Forwarded-For", "198.51.100.1",
                "Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43")).isEqualTo("192.0.2.60");
        assertThat(resolve("10.0.0.1", "Forwarded", "for=\"[2001:db8:cafe::17]:4711\"")).isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(resolve("10.0.0.1", "Forwarded", "for=192.0.2.43:8080, for=\"[2001:db8:ffff::1]\""))
                .isEqualTo("192.0.2.43");
        assertThat(resolve("10.0.0.1", "Forwarded", "for=_hidden, for=198.51.100.17")).isEqualTo("198.51.100.17");
        assertThat(resolve("10.0.0.1", "Forwarded", "proto=https")).isEqualTo("10.0.0.1");
    }
}
