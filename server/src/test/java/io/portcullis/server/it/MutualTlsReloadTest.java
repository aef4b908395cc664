package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.TestCa;
import io.portcullis.server.testing.Trust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A reload that turns {@code tls.client_auth} on: new handshakes need a certificate, open connections get 421. */
class MutualTlsReloadTest {
    private static PortcullisConfig config(Path dir, String tls) throws Exception {
        return ConfigLoader.loadString("""
                data_dir: "%s"
                access_log: {output: "off"}
                admin: {enabled: false}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {address: 127.0.0.1, port: 0}
                sites:
                  - hosts: [localhost]
                    %s
                    routes: [{respond: "hi"}]
                """.formatted(dir, tls), "reload.yaml", dir);
    }

    private static String get(RawHttpsClient c) throws IOException {
        c.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var r = c.readResponse();
        return r.status() + " " + r.body().strip();
    }

    @Test
    void requiringCertificatesByReloadLeavesNoWayAround() throws Exception {
        Path dir = Files.createTempDirectory("mtls-reload-");
        try (TestCa clients = TestCa.create("Reload clients")) {
            Path alice = clients.clientKeyStore("alice", "/CN=alice");
            PortcullisServer server = PortcullisServer.start(config(dir, ""));
            try {
                Path root = server.certs().localCaRoot();
                try (RawHttpsClient before = RawHttpsClient.connect(Trust.localCa(root), server.httpsPort(),
                        "localhost")) {
                    assertThat(get(before)).isEqualTo("200 hi");
                    server.reload(config(dir, "tls: {client_auth: {ca: \"" + clients.caCert + "\"}}"));
                    // Opened without a certificate when none was asked for: this connection cannot serve it now.
                    assertThat(get(before)).startsWith("421");
                }
                assertThatThrownBy(() -> {
                    try (RawHttpsClient c = RawHttpsClient.connect(Trust.localCa(root), server.httpsPort(),
                            "localhost")) {
                        get(c);
                    }
                }).isInstanceOf(IOException.class);
                try (RawHttpsClient c = RawHttpsClient.connect(Trust.withClientCertificate(root, alice),
                        server.httpsPort(), "localhost")) {
                    assertThat(get(c)).isEqualTo("200 hi");
                }
            } finally {
                server.stop(Duration.ZERO);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
