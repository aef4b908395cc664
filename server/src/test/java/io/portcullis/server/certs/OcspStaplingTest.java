package io.portcullis.server.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.FreePorts;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OCSP stapling against a real responder ({@code openssl ocsp}): the certificate names the responder in its AIA, the
 * server fetches the response in the background, and a client asking for status ({@code openssl s_client -status})
 * gets a good, stapled response.
 */
class OcspStaplingTest {
    private static final Path DIR = createCa();
    private static Process responder;

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                tls:
                  certificates:
                    - {cert: "%s", key: "%s"}
                routes:
                  - respond: "stapled"
            """.formatted(DIR.resolve("fullchain.pem"), DIR.resolve("leaf.key")));

    @AfterAll
    static void stop() throws Exception {
        if (responder != null) {
            responder.toHandle().destroy();
            responder.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGoodResponseIsStapledAndKeptInStorage() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String output = "";
        while (System.nanoTime() < deadline) {
            Processes.Result r = Processes.run(Duration.ofSeconds(20), "", List.of("openssl", "s_client",
                    "-connect", "127.0.0.1:" + server.httpsPort(), "-servername", "localhost", "-status"));
            output = r.output();
            if (output.contains("OCSP Response Status: successful")) {
                break;
            }
            Thread.sleep(300);
        }
        assertThat(output).contains("OCSP Response Status: successful").contains("Cert Status: good");
        assertThat(server.dir().resolve("data/storage/ocsp/1001.der")).isRegularFile();
    }

    private static Path createCa() {
        try {
            Path d = Files.createTempDirectory("ocsp-ca-");
            int port = FreePorts.take();
            Files.writeString(d.resolve("ca.cnf"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,"
                    + "cRLSign,digitalSignature\n");
            Files.writeString(d.resolve("leaf.cnf"), "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n"
                    + "extendedKeyUsage=serverAuth\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:" + port + "\n");
            run(d, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=OCSP Test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            run(d, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost");
            run(d, "openssl", "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-set_serial", "0x1001", "-out", "leaf.pem", "-days", "2", "-extfile", "leaf.cnf");
            Files.writeString(d.resolve("fullchain.pem"), Files.readString(d.resolve("leaf.pem"))
                    + Files.readString(d.resolve("ca.pem")));
            Files.writeString(d.resolve("index.txt"), "V\t301231000000Z\t\t1001\tunknown\t/CN=localhost\n");
            responder = new ProcessBuilder("openssl", "ocsp", "-index", "index.txt", "-port", String.valueOf(port),
                    "-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem", "-ndays", "1")
                    .directory(d.toFile()).redirectErrorStream(true).redirectOutput(d.resolve("ocsp.log").toFile())
                    .start();
            return d;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the OCSP test CA", e);
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }
}
