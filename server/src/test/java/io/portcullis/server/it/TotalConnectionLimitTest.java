package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawHttpsClient;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code limits.max_connections}: the https and http listeners share one bound, checked at accept. */
class TotalConnectionLimitTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            limits: {max_connections: 3}
            trusted_proxies: [127.0.0.1]
            sites: [{hosts: [localhost], routes: [{respond: "hi"}]}]
            """);

    @Test
    void connectionBeyondTheTotalIsClosedAtAcceptOnEitherListenerAndAudited() throws Exception {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            // Served requests, so the server has surely counted them. 127.0.0.1 is a trusted proxy: the per-address
            // limit would not apply to it, the total does.
            RawHttpsClient first = RawHttpsClient.connect(server, "localhost");
            held.add(first);
            held.add(RawHttpsClient.connect(server, "localhost"));
            RawConnection plain = RawConnection.plain(server.httpPort());
            held.add(plain);
            plain.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(plain.readResponse().status()).isEqualTo(308);

            try (Socket fourth = new Socket("127.0.0.1", server.httpsPort())) {
                assertThat(RawConnection.closedByServer(fourth)).isTrue();
            }
            try (Socket fifth = new Socket("127.0.0.1", server.httpPort())) {
                assertThat(RawConnection.closedByServer(fifth)).isTrue();
            }
            assertThat(server.auditLine("\"event\":\"connection_limited\"", "\"rule\":\"max_connections\"",
                    "\"limit\":\"3\"")).contains("127.0.0.1");

            first.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(first.readResponse().body()).as("held connections keep working").isEqualTo("hi");
            held.remove(0).close();
            Thread.sleep(200); // the server sees the close asynchronously
            assertThat(RawHttpsClient.get(server, "localhost", "/").body()).isEqualTo("hi");
            assertThat(server.server().stats().openConnections()).isLessThanOrEqualTo(3);
        } finally {
            for (AutoCloseable c : held) {
                c.close();
            }
        }
    }
}
