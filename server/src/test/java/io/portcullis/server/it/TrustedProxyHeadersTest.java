package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With 127.0.0.0/8 as a trusted proxy, the client address of X-Forwarded-For / Forwarded is what access rules and the
 * access log see; the client-written part of the list is never believed.
 */
class TrustedProxyHeadersTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            trusted_proxies: [127.0.0.0/8, "::1"]
            sites:
              - hosts: [localhost]
                routes:
                  - path: /office
                    access: {allow: [203.0.113.0/24]}
                    respond: "office"
                  - respond: "open"
            """);

    private static RawResponse get(String path, String headers) throws Exception {
        try (RawHttpsClient c = RawHttpsClient.connect(server, "localhost")) {
            c.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n");
            return c.readResponse();
        }
    }

    @Test
    void forwardedClientAddressIsUsedByAccessRules() throws Exception {
        assertThat(get("/office", "X-Forwarded-For: 203.0.113.5\r\n").status()).isEqualTo(200);
        assertThat(get("/office", "X-Forwarded-For: 198.51.100.1\r\n").status()).isEqualTo(403);
        assertThat(get("/office", "Forwarded: for=203.0.113.9;proto=https\r\n").status()).isEqualTo(200);
        assertThat(get("/office", "").status()).isEqualTo(403);
    }

    @Test
    void clientWrittenHopsAreNotBelieved() throws Exception {
        // The client prepends an allowed address; the proxy (us, trusted) appended the real one on the right.
        assertThat(get("/office", "X-Forwarded-For: 203.0.113.5, 198.51.100.1\r\n").status()).isEqualTo(403);
        // Trusted hops on the right are skipped.
        assertThat(get("/office", "X-Forwarded-For: 203.0.113.5, 127.0.0.9\r\n").status()).isEqualTo(200);
    }

    @Test
    void accessLogRecordsTheRealClient() throws Exception {
        get("/logged-xff", "X-Forwarded-For: 203.0.113.77\r\n");
        assertThat(server.accessLogLine("/logged-xff")).contains("\"203.0.113.77\"");
    }
}
