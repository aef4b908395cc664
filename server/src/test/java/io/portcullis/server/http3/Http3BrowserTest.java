package io.portcullis.server.http3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real browser over HTTP/3: headless Chromium (driven by Playwright from node) with QUIC forced for the origin loads
 * a page, and the page's navigation entry says it came over h3. The leaf is trusted by its SPKI hash, as Chromium
 * does not read the local CA file.
 */
@Tag("slow")
class Http3BrowserTest {
    @RegisterExtension
    static final PortcullisExtension server = PortcullisExtension.fromYaml("""
            sites:
              - hosts: [localhost]
                routes:
                  - respond: "served over quic"
            """);

    @Test
    void chromiumLoadsThePageOverH3() throws Exception {
        assumeTrue(Processes.run(Duration.ofSeconds(10), "node", "--version").ok(),
                "node is not installed: the browser test needs node (see scripts/install-test-deps.sh)");
        Path project = Path.of("").toAbsolutePath().getParent();
        Path script = project.resolve("it-browser/h3-check.js");
        assertThat(project.resolve("it-browser/node_modules/playwright-core"))
                .as("run scripts/install-test-deps.sh (npm ci in it-browser/) first").exists();
        X509Certificate leaf = server.server().certs().chain(server.server().config().sites().get(0), "EC").get(0);
        String spki = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded()));
        int port = server.server().http3Port();
        Processes.Result r = Processes.run(Duration.ofSeconds(60), List.of("node", script.toString(),
                "https://localhost:" + port + "/", spki, "localhost:" + port));
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.output()).contains("\"status\":200").contains("\"protocol\":\"h3\"")
                .contains("served over quic");
    }
}
