package io.portcullis.server.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.certs.acme.AcmeRevocation;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.FreePorts;
import io.portcullis.server.testing.MetricsScrape;
import io.portcullis.server.testing.Pebble;
import io.portcullis.server.testing.PebbleOcspResponder;
import io.portcullis.server.testing.Processes;
import io.portcullis.server.testing.TlsProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate the CA revokes behind the server's back (here through Pebble's ACME API, leaving Portcullis's storage
 * as it is) is found out through OCSP: the staple turns from good to revoked, the server writes a
 * {@code certificate_revoked} audit event and orders a replacement at once, though its regular check is an hour away
 * and the certificate has years left. Pebble names the responder in its certificates; {@link PebbleOcspResponder}
 * answers for it from Pebble's own revocation state.
 */
class OcspRevocationPebbleTest {
    @TempDir
    Path dir;
    private Pebble pebble;
    private PebbleOcspResponder responder;
    private PortcullisServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
        if (responder != null) {
            responder.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    @Tag("slow") // about 20 s: issue, staple, revoke, staple again, reissue
    void aRevokedOcspStatusTriggersARenewalAndAnAuditEvent() throws Exception {
        String host = "revoked.example.com";
        int httpsPort = FreePorts.take();
        int httpPort = FreePorts.take();
        int ocspPort = FreePorts.take();
        pebble = Pebble.prepare().ocspResponder("http://127.0.0.1:" + ocspPort + "/");
        pebble.launch(httpPort, httpsPort, 0);
        responder = PebbleOcspResponder.start(pebble, ocspPort, Duration.ofSeconds(6));
        Path audit = dir.resolve("audit.log");
        String yaml = """
                data_dir: "%s"
                access_log: {output: off}
                audit_log: "%s"
                admin: {address: 127.0.0.1, port: 0}
                listeners:
                  https: {address: 127.0.0.1, port: %d}
                  http: {address: 127.0.0.1, port: %d}
                  fallback_ports: false
                acme:
                  directory: %s
                  ca_root: "%s"
                  check_interval: 1h
                sites:
                  - hosts: [%s]
                    routes: [{respond: "hello"}]
                """.formatted(dir.resolve("data"), audit, httpsPort, httpPort, pebble.directory(), pebble.caRoot(),
                host);
        PortcullisConfig config = ConfigLoader.loadString(yaml, "ocsp-revoked.yaml", dir);
        server = PortcullisServer.start(config);

        X509Certificate first = TlsProbe.awaitPebbleCertificate(server, pebble, host, null);
        assertThat(stapledSerial(awaitStapledStatus(host, "good"))).isEqualTo(first.getSerialNumber());

        X509Certificate revoked = AcmeRevocation.revokeAtCaOnly(config, host);
        assertThat(revoked.getSerialNumber()).isEqualTo(first.getSerialNumber());
        assertThat(pebble.certStatus(first.getSerialNumber().toString(16))).contains("\"Status\": \"Revoked\"");

        X509Certificate replacement = TlsProbe.awaitPebbleCertificate(server, pebble, host, first.getSerialNumber());
        assertThat(responder.revokedAnswers()).isGreaterThanOrEqualTo(1);
        assertThat(replacement.getNotAfter()).isAfter(first.getNotAfter());

        String events = awaitAuditEvent(audit, "certificate_revoked");
        assertThat(events.lines().filter(l -> l.contains("\"event\":\"certificate_revoked\""))).singleElement()
                .asString().contains("\"host\":\"" + host + "\"")
                .contains("\"serial\":\"" + first.getSerialNumber().toString(16) + "\"")
                .contains("\"source\":\"acme\"").contains("\"action\":\"renewing\"");
        String metrics = MetricsScrape.scrape(server);
        assertThat(MetricsScrape.value(metrics, "portcullis_security_events_total", "event=\"certificate_revoked\""))
                .isEqualTo(1);
        assertThat(MetricsScrape.value(metrics, "portcullis_acme_orders_total", "outcome=\"renewed\"")).isEqualTo(1);
        // The replacement is good at the responder and stapled in its turn.
        assertThat(stapledSerial(awaitStapledStatus(host, "good"))).isEqualTo(replacement.getSerialNumber());
    }

    /** {@code openssl s_client -status} until the stapled response says {@code status}; returns its output. */
    private String awaitStapledStatus(String host, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String output = "";
        while (System.nanoTime() < deadline) {
            output = Processes.run(Duration.ofSeconds(20), "", List.of("openssl", "s_client", "-connect",
                    "127.0.0.1:" + server.httpsPort(), "-servername", host, "-status")).output();
            if (output.contains("Cert Status: " + status)) {
                return output;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no stapled '" + status + "' for " + host + ":\n" + output);
    }

    private static java.math.BigInteger stapledSerial(String sClientOutput) {
        String line = sClientOutput.lines().filter(l -> l.strip().startsWith("Serial Number: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no serial in:\n" + sClientOutput));
        return new java.math.BigInteger(line.strip().substring("Serial Number: ".length()), 16);
    }

    private static String awaitAuditEvent(Path audit, String event) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(audit) ? Files.readString(audit) : "";
            if (text.contains("\"event\":\"" + event + "\"")) {
                return text;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + event + " in the audit log:\n" + text);
    }
}
