package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.NetNamespace;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.Processes;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Trust is by source address, tested from a real untrusted one: with 127.0.0.1 as the only trusted proxy, a client in
 * a network namespace (10.x.y.2) can neither speak the PROXY protocol nor choose its address with X-Forwarded-For.
 */
class ClientAddressNetnsTest {
    private static final NetNamespace ns = NetNamespace.createForTestClass();

    @AfterAll
    static void deleteNamespace() throws Exception {
        ns.close();
    }

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            listeners:
              https: {address: 0.0.0.0, port: 0, proxy_protocol: true}
              http: {address: 127.0.0.1, port: 0}
            trusted_proxies: [127.0.0.1]
            sites: [{hosts: [localhost], routes: [{respond: "hi"}]}]
            """);

    @Test
    void untrustedPeerCannotSendAProxyHeader() throws Exception {
        int port = server.httpsPort();
        // curl --haproxy-protocol sends a v1 header naming its own source; from an untrusted peer it is refused.
        Processes.Result r = ns.exec(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10", "--haproxy-protocol",
                "--cacert", server.caFile().toString(), "--resolve", "localhost:" + port + ":" + ns.hostAddress(),
                "https://localhost:" + port + "/");
        assertThat(r.ok()).as(r.toString()).isFalse();
        long deadline = System.nanoTime() + 3_000_000_000L;
        var audit = server.dir().resolve("data").resolve("audit.log");
        while (System.nanoTime() < deadline
                && !(Files.exists(audit) && Files.readString(audit).contains("proxy_protocol_refused"))) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(audit)).contains("\"event\":\"proxy_protocol_refused\"")
                .contains("\"address\":\"" + ns.nsAddress() + "\"");
    }

    @Test
    void trustedPeerIsServedThroughTheProxyHeader() throws Exception {
        Processes.Result r = Processes.run(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10",
                "--haproxy-protocol", "--cacert", server.caFile().toString(),
                "https://localhost:" + server.httpsPort() + "/");
        assertThat(r.output()).as(r.toString()).isEqualTo("hi");
    }
}
