package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.Trust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default with 443 and 80 taken by another process: it says why, falls back to 8443/8080, and serves the
 * welcome page over HTTPS that verifies against its local CA.
 */
class EmbeddedDefaultFallbackTest {
    @TempDir
    Path dir;

    @Test
    void busyPrivilegedPortsFallBackWithAnExplanation() throws Exception {
        ServerSocket https = occupy(443);
        ServerSocket http = occupy(80);
        assumeTrue(free(8443) && free(8080), "8443/8080 must be free for this test");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PortcullisServer server = null;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            String yaml = ConfigSource.embeddedDefault() + "\ndata_dir: \"" + dir + "\"\naccess_log: {output: off}\n";
            PortcullisConfig config = ConfigLoader.loadString(yaml, "embedded default", dir);
            server = PortcullisServer.start(config);
        } finally {
            System.setErr(oldErr);
        }
        try {
            assertThat(server.httpsPort()).isEqualTo(8443);
            assertThat(server.httpPort()).isEqualTo(8080);
            String text = log.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("cannot bind 0.0.0.0:443: the port is already in use")
                    .contains("Using port 8443 instead")
                    .contains("cannot bind 0.0.0.0:80").contains("Using port 8080 instead");

            HttpClient client = HttpClient.newBuilder().sslContext(Trust.localCa(server.certs().localCaRoot())).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:8443/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("Welcome to Portcullis");
            assertThat(r.headers().firstValue("strict-transport-security")).isEmpty();
        } finally {
            server.stop(Duration.ofSeconds(1));
            https.close();
            http.close();
        }
    }

    private static ServerSocket occupy(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress("0.0.0.0", port));
        } catch (IOException e) {
            // Taken already (or not permitted): either way the server cannot have it, which is the point.
        }
        return s;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
