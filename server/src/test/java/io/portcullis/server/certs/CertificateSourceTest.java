package io.portcullis.server.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.certs.acme.RenewalStatus;
import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.FreePorts;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.ServerLog;
import io.portcullis.server.testing.Trust;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which certificate each site gets when its config says nothing: public names go to ACME, names no public CA can
 * certify to the local CA with one log line per site saying why, and an explicit {@code tls: internal} is taken as
 * asked without a word. The ACME directory is a closed loopback port, so nothing leaves the machine.
 */
class CertificateSourceTest {
    @TempDir
    Path dir;

    @Test
    void publicSitesAreManagedByAcmeAndInternalOnesFallBackToTheLocalCaWithALogLinePerSite() throws Exception {
        String yaml = """
                data_dir: "%s"
                access_log: {output: off}
                admin: {enabled: false}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {address: 127.0.0.1, port: 0}
                  fallback_ports: false
                acme:
                  directory: https://127.0.0.1:%d/dir
                  check_interval: 1h
                sites:
                  - hosts: [www.example.com, example.com]
                  - hosts: [localhost, 127.0.0.1]
                  - hosts: [nas.lan]
                  - hosts: [shop.example.net]
                    tls: internal
                """.formatted(dir.resolve("data"), FreePorts.take());
        PortcullisServer server = null;
        try (ServerLog log = ServerLog.capture()) {
            server = PortcullisServer.start(ConfigLoader.loadString(yaml, "sources.yaml", dir));
            List<String> fallbacks = log.lines(l -> l.contains("local-CA certificate, not ACME"));
            assertThat(fallbacks).filteredOn(l -> l.contains("site [localhost, 127.0.0.1]:")).singleElement()
                    .asString().contains("because localhost is this machine: no public CA can certify it");
            assertThat(fallbacks).filteredOn(l -> l.contains("site [nas.lan]:")).singleElement().asString()
                    .contains("because nas.lan is an internal name (*.lan)");
            assertThat(fallbacks).noneMatch(l -> l.contains("shop.example.net") || l.contains("www.example.com"));

            // Only the public site is the scheduler's, and until the CA answers it is served a local-CA placeholder.
            log.await(l -> l.contains("ACME: no certificate for [www.example.com, example.com]"),
                    Duration.ofSeconds(30));
            assertThat(server.certServices().acme().status()).extracting(RenewalStatus::names)
                    .containsExactly(List.of("www.example.com", "example.com"));
            try (RawHttpsClient c = RawHttpsClient.connect(Trust.localCa(server.certs().localCaRoot()),
                    server.httpsPort(), "www.example.com")) {
                X509Certificate leaf = (X509Certificate) c.socket().getSession().getPeerCertificates()[0];
                assertThat(leaf.getIssuerX500Principal().getName()).contains("Portcullis Local CA");
            }
        } finally {
            if (server != null) {
                server.stop(Duration.ZERO);
            }
        }
    }
}
