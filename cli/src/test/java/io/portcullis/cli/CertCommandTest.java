package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.FreePorts;
import io.portcullis.server.testing.Pebble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis cert list|renew|revoke} against a running server that gets its certificates from Pebble. */
class CertCommandTest {
    @TempDir
    Path dir;
    private Pebble pebble;
    private PortcullisServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void listRenewAndRevokeThroughTheRunningServer() throws Exception {
        int httpsPort = FreePorts.take();
        int httpPort = FreePorts.take();
        int adminPort = FreePorts.take();
        pebble = Pebble.start(httpPort, httpsPort, 0);
        Path config = Files.writeString(dir.resolve("portcullis.yaml"), """
                data_dir: "%s"
                access_log: {output: off}
                listeners:
                  https: {address: 127.0.0.1, port: %d}
                  http: {address: 127.0.0.1, port: %d}
                  fallback_ports: false
                admin: {address: 127.0.0.1, port: %d}
                acme:
                  directory: %s
                  ca_root: "%s"
                  check_interval: 1s
                sites:
                  - hosts: [www.example.com]
                    routes: [{respond: "acme"}]
                  - hosts: [localhost]
                    routes: [{respond: "local"}]
                """.formatted(dir.resolve("data"), httpsPort, httpPort, adminPort, pebble.directory(),
                pebble.caRoot()));
        server = PortcullisServer.start(ConfigLoader.load(config));

        String firstSerial = awaitPebbleSerial(config);
        CliRun list = CliRun.of("cert", "list", "--config", config.toString());
        assertThat(list.exit()).as(list.err()).isZero();
        String[] lines = list.out().split("\n");
        assertThat(lines[0]).matches("HOST +ISSUER +NOT AFTER +DAYS LEFT +NEXT RENEWAL +SOURCE");
        assertThat(list.out()).containsPattern("www\\.example\\.com +Pebble Intermediate CA \\w+ +\\S+ +\\d+ +\\S+ +acme")
                .containsPattern("localhost +Portcullis Local CA \\w+ Intermediate +\\S+ +[67] +\\S+ +local-ca");

        CliRun renew = CliRun.of("cert", "renew", "www.example.com", "--config", config.toString());
        assertThat(renew.exit()).as(renew.err()).isZero();
        assertThat(renew.out()).contains("\"renewed\":true");
        String renewedSerial = awaitPebbleSerial(config);
        assertThat(renewedSerial).isNotEqualTo(firstSerial);

        CliRun unknown = CliRun.of("cert", "renew", "nope.example.com", "--config", config.toString());
        assertThat(unknown.exit()).isEqualTo(ExitCodes.START_FAILED);
        assertThat(unknown.err()).contains("nope.example.com is not a host of a tls: acme site");

        CliRun revoke = CliRun.of("cert", "revoke", "www.example.com", "--config", config.toString());
        assertThat(revoke.exit()).as(revoke.err()).isZero();
        assertThat(revoke.out()).contains("revoked www.example.com (serial " + renewedSerial);
        assertThat(pebble.certStatus(renewedSerial)).contains("\"Status\": \"Revoked\"");
    }

    /** The serial of the Pebble certificate {@code cert list --json} shows for www.example.com. */
    private String awaitPebbleSerial(Path config) throws Exception {
        Pattern p = Pattern.compile("\"issuer\":\"CN=Pebble Intermediate CA [^\"]*\",\"serial\":\"(\\w+)\"");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = CliRun.of("cert", "list", "--json", "--config", config.toString()).out();
            Matcher m = p.matcher(last);
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no Pebble certificate listed: " + last + "\n" + pebble.log());
    }
}
