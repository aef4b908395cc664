package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.TestCa;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site with a real (file) certificate and nothing else configured: every security default (protocols, suites,
 * groups, HSTS for non-local certificates, security headers) must add up to A+ without a single setting.
 */
class ScanDefaultSiteGradeTest {
    private static final String HOST = "www.portcullis.test";
    private static final TestCa CA = TestCa.createUnchecked("Scan default", HOST);

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [%s]
                tls: {certificates: [{cert: %s, key: %s}]}
                routes:
                  - respond: "defaults only"
            """.formatted(HOST, CA.serverChain, CA.serverKey));

    @TempDir
    Path dir;

    @AfterAll
    static void removeCa() {
        CA.close();
    }

    @Test
    void aSiteWithACertificateAndDefaultSettingsGradesAPlus() throws Exception {
        Path json = dir.resolve("scan.json");
        int exit = Main.execute("scan", HOST + ":" + server.httpsPort(), "--ip", "127.0.0.1", "--ca-file",
                CA.caCert.toString(), "--json", json.toString(), "--fail-under", "A+");
        JsonNode target = new ObjectMapper().readTree(json.toFile()).path("reports").get(0);
        assertThat(target.path("grade").path("grade").asText()).as(target.toString()).isEqualTo("A+");
        assertThat(target.path("grade").path("caps").size()).as(target.toString()).isZero();
        assertThat(target.path("http").path("hsts_max_age").asLong()).isEqualTo(63_072_000L);
        assertThat(exit).isZero();
    }
}
