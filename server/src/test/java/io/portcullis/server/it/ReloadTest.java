package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.ServerStartException;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import io.portcullis.server.testing.Trust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload swaps routes and certificates without a restart; a bad one changes nothing. */
class ReloadTest {
    @TempDir
    Path dir;
    private PortcullisServer server;
    private SSLContext trust;

    private PortcullisConfig config(String body, String extraSite) throws Exception {
        return ConfigLoader.loadString("""
                data_dir: "%s"
                access_log: {output: "off"}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {address: 127.0.0.1, port: 0}
                sites:
                  - hosts: [localhost]
                    routes: [{respond: "%s"}]
                %s
                """.formatted(dir, body, extraSite), "reload.yaml", dir);
    }

    @BeforeEach
    void start() throws Exception {
        server = PortcullisServer.start(config("one", ""));
        trust = Trust.localCa(server.certs().localCaRoot());
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ZERO);
    }

    private String body() throws Exception {
        try (RawHttpsClient c = RawHttpsClient.connect(trust, server.httpsPort(), "localhost")) {
            c.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            RawResponse r = c.readResponse();
            return r.body();
        }
    }

    @Test
    void reloadSwapsRoutesOnTheSamePort() throws Exception {
        int port = server.httpsPort();
        assertThat(body()).isEqualTo("one");
        server.reload(config("two", ""));
        assertThat(server.httpsPort()).isEqualTo(port);
        assertThat(body()).isEqualTo("two");
    }

    @Test
    void reloadWithBrokenCertificateKeepsTheRunningConfig() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n");
        PortcullisConfig broken = config("three", """
                  - hosts: [broken.test]
                    tls: {certificates: [{cert: cert.pem, key: key.pem}]}
                    routes: [{respond: "x"}]
                """);
        assertThatThrownBy(() -> server.reload(broken)).isInstanceOf(ServerStartException.class)
                .hasMessageContaining("unchanged");
        assertThat(body()).isEqualTo("one");
    }

    @Test
    void reloadChangingListenersIsRefused() throws Exception {
        PortcullisConfig moved = ConfigLoader.loadString("""
                data_dir: "%s"
                access_log: {output: "off"}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {enabled: false}
                sites:
                  - hosts: [localhost]
                    routes: [{respond: "moved"}]
                """.formatted(dir), "reload.yaml", dir);
        assertThatThrownBy(() -> server.reload(moved)).isInstanceOf(ServerStartException.class)
                .hasMessageContaining("restart");
        assertThat(body()).isEqualTo("one");
    }
}
