package io.portcullis.server.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.FreePorts;
import io.portcullis.server.testing.MetricsScrape;
import io.portcullis.server.testing.Pebble;
import io.portcullis.server.testing.Processes;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.ServerLog;
import io.portcullis.server.testing.TlsProbe;
import io.portcullis.server.testing.Trust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on the way to an ACME certificate: the CA down at start, the storage not writable. Each time the log names the
 * host and the cause, the site is served a local-CA placeholder meanwhile, the other sites are served as usual, the
 * server stays up, and once the fault is gone the certificate is issued on a retry ({@code acme.retry_base: 1s} makes
 * the backoff 1, 2, 4, 8 s here instead of minutes).
 */
class AcmeFaultTest {
    @TempDir
    Path dir;
    private Pebble pebble;
    private PortcullisServer server;
    private Path immutable;

    @AfterEach
    void stop() throws Exception {
        if (immutable != null) {
            Processes.run(Duration.ofSeconds(10), "chattr", "-i", immutable.toString());
        }
        if (server != null) {
            server.stop(Duration.ZERO);
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    private PortcullisServer startServer(int httpsPort, int httpPort, String acmeHost) throws Exception {
        String yaml = """
                data_dir: "%s"
                access_log: {output: off}
                admin: {address: 127.0.0.1, port: 0}
                listeners:
                  https: {address: 127.0.0.1, port: %d}
                  http: {address: 127.0.0.1, port: %d}
                  fallback_ports: false
                acme:
                  directory: %s
                  ca_root: "%s"
                  check_interval: 1s
                  retry_base: 1s
                sites:
                  - hosts: [%s]
                    routes: [{respond: "acme site"}]
                  - hosts: [localhost]
                    routes: [{respond: "local site"}]
                """.formatted(dir.resolve("data"), httpsPort, httpPort, pebble.directory(), pebble.caRoot(), acmeHost);
        return PortcullisServer.start(ConfigLoader.loadString(yaml, "faults.yaml", dir));
    }

    @Test
    void caDownAtStartIsLoggedWithTheCauseTheSiteGetsAPlaceholderAndTheCertificateComesWhenTheCaIsUp()
            throws Exception {
        String host = "later.example.com";
        int httpsPort = FreePorts.take();
        int httpPort = FreePorts.take();
        pebble = Pebble.prepare(); // its directory URL points at a loopback port nobody listens on yet
        try (ServerLog log = ServerLog.capture()) {
            server = startServer(httpsPort, httpPort, host);
            String line = log.await(l -> l.contains("ACME: no certificate for [" + host + "]"), Duration.ofSeconds(30));
            assertThat(line).contains("WARN").contains("ACME account at " + pebble.directory()
                    + ": cannot reach the CA: ConnectException: Connection refused").doesNotContain("; then ")
                    .contains("the certificate in service keeps serving");
            assertServedMeanwhile(host);

            pebble.launch(httpPort, httpsPort, 0);
            X509Certificate issued = TlsProbe.awaitPebbleCertificate(server, pebble, host, null);
            assertThat(issued.getSubjectX500Principal().getName()).isNotEmpty();
            assertThat(log.lines(l -> l.contains("ACME: issued certificate for [" + host + "]"))).hasSize(1);
        }
        String metrics = MetricsScrape.scrape(server);
        assertThat(MetricsScrape.value(metrics, "portcullis_acme_orders_total", "outcome=\"failed\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(MetricsScrape.value(metrics, "portcullis_acme_orders_total", "outcome=\"issued\"")).isEqualTo(1);
    }

    @Test
    void storageNotWritableIsLoggedWithHostAndCauseAndRetriedUntilItIsWritableAgain() throws Exception {
        String host = "readonly.example.com";
        int httpsPort = FreePorts.take();
        int httpPort = FreePorts.take();
        pebble = Pebble.start(httpPort, httpsPort, 0);
        // The storage directory exists but nothing can be created in it, not even by root (tests run as root, for
        // whom mode bits are no obstacle): the immutable attribute of ext4 and most Linux file systems.
        Path storage = Files.createDirectories(dir.resolve("data/storage"));
        Processes.Result chattr = Processes.run(Duration.ofSeconds(10), "chattr", "+i", storage.toString());
        assumeTrue(chattr.ok(), "chattr +i not supported here: " + chattr);
        immutable = storage;
        try (ServerLog log = ServerLog.capture()) {
            server = startServer(httpsPort, httpPort, host);
            String line = log.await(l -> l.contains("ACME: no certificate for [" + host + "]"), Duration.ofSeconds(30));
            assertThat(line).contains("WARN").contains("storage not usable: " + storage).contains("Operation not permitted");
            assertServedMeanwhile(host);
            // Retried with backoff rather than given up: a second failure comes, with a later next attempt.
            log.await(l -> l.contains("ACME: no certificate for [" + host + "]") && l.contains("attempt 2 failed"),
                    Duration.ofSeconds(30));
            assertThat(server.certServices().acme().status()).singleElement().satisfies(st -> {
                assertThat(st.failures()).isGreaterThanOrEqualTo(2);
                assertThat(st.nextAttempt()).isAfter(Instant.now().minusSeconds(1));
                assertThat(st.lastError()).contains("Operation not permitted");
            });

            Processes.run(Duration.ofSeconds(10), "chattr", "-i", storage.toString());
            immutable = null;
            TlsProbe.awaitPebbleCertificate(server, pebble, host, null);
            assertThat(log.lines(l -> l.contains("ACME: issued certificate for [" + host + "]"))).hasSize(1);
        }
    }

    /** While the ACME site waits: it has a local-CA placeholder and answers, the other site is served normally. */
    private void assertServedMeanwhile(String host) throws Exception {
        X509Certificate placeholder = TlsProbe.served(server.httpsPort(), host);
        assertThat(placeholder.getIssuerX500Principal().getName()).contains("Portcullis Local CA");
        try (RawHttpsClient c = RawHttpsClient.connect(TlsProbe.trustAll(), server.httpsPort(), host)) {
            c.write("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().body()).contains("acme site");
        }
        try (RawHttpsClient c = RawHttpsClient.connect(Trust.localCa(server.certs().localCaRoot()),
                server.httpsPort(), "localhost")) {
            c.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().body()).contains("local site");
        }
    }
}
