package io.portcullis.server.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.ServerLog;
import io.portcullis.server.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A must-staple certificate file without an OCSP URL cannot get a staple, so clients honouring must-staple refuse it:
 * the server says so at start (in its log) and when such a file
 * is swapped in by the file watcher, and says nothing about a must-staple certificate that names a responder or a
 * plain one.
 */
class MustStapleWarningTest {
    @TempDir
    Path dir;

    @Test
    void warnsAtStartForAMustStapleFileWithoutOcspUrlOnly() throws Exception {
        TestCertificates.Files bad = TestCertificates.write(dir, "bad", "bad.example.com", 0xbad, Duration.ofDays(90),
                true, null);
        TestCertificates.Files good = TestCertificates.write(dir, "good", "good.example.com", 0x600d,
                Duration.ofDays(90), true, "http://127.0.0.1:9/ocsp");
        TestCertificates.Files plain = TestCertificates.write(dir, "plain", "plain.example.com", 0x9a1,
                Duration.ofDays(90), false, null);
        String yaml = """
                data_dir: "%s"
                access_log: {output: off}
                admin: {enabled: false}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {enabled: false}
                  fallback_ports: false
                sites:
                  - hosts: [bad.example.com]
                    tls: {certificates: [{cert: "%s", key: "%s"}]}
                  - hosts: [good.example.com]
                    tls: {certificates: [{cert: "%s", key: "%s"}]}
                  - hosts: [plain.example.com]
                    tls: {certificates: [{cert: "%s", key: "%s"}]}
                """.formatted(dir.resolve("data"), bad.cert(), bad.key(), good.cert(), good.key(), plain.cert(),
                plain.key());
        PortcullisServer server = null;
        String atStart;
        String afterReload;
        try (ServerLog log = ServerLog.capture()) {
            server = PortcullisServer.start(ConfigLoader.loadString(yaml, "must-staple.yaml", dir));
            atStart = log.text();
            // The plain certificate's files are replaced by a must-staple pair without an OCSP URL: the file watcher
            // swaps it in and warns about it (and not again about the first one).
            TestCertificates.write(dir, "plain", "plain.example.com", 0x9a2, Duration.ofDays(90), true, null);
            log.await(l -> l.contains("serial 9a2") && l.endsWith("with an OCSP URL"), Duration.ofSeconds(20));
            afterReload = log.text().substring(atStart.length());
        } finally {
            if (server != null) {
                server.stop(Duration.ZERO);
            }
        }
        assertThat(atStart.lines().filter(l -> l.contains("is must-staple"))).singleElement().asString()
                .contains("WARN").contains("[bad.example.com]").contains("serial bad")
                .contains("names no OCSP responder");
        assertThat(afterReload.lines().filter(l -> l.contains("is must-staple"))).singleElement().asString()
                .contains("[plain.example.com]").contains("serial 9a2");
    }
}
