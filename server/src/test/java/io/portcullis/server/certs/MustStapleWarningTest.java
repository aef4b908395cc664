package io.portcullis.server.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A must-staple certificate file without an OCSP URL cannot get a staple, so clients honouring must-staple refuse it:
 * the server says so at start (in its log, which slf4j-simple writes to the current System.err) and when such a file
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
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PortcullisServer server = null;
        System.setErr(new PrintStream(new TeeStream(captured, original), true, StandardCharsets.UTF_8));
        String atStart;
        String afterReload;
        try {
            server = PortcullisServer.start(ConfigLoader.loadString(yaml, "must-staple.yaml", dir));
            atStart = captured.toString(StandardCharsets.UTF_8);
            // The plain certificate's files are replaced by a must-staple pair without an OCSP URL: the file watcher
            // swaps it in and warns about it (and not again about the first one).
            TestCertificates.write(dir, "plain", "plain.example.com", 0x9a2, Duration.ofDays(90), true, null);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (captured.toString(StandardCharsets.UTF_8).lines()
                    .noneMatch(l -> l.contains("serial 9a2") && l.endsWith("with an OCSP URL"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            afterReload = captured.toString(StandardCharsets.UTF_8).substring(atStart.length());
        } finally {
            System.setErr(original);
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

    /** Keeps the output visible in the test report while capturing it. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
