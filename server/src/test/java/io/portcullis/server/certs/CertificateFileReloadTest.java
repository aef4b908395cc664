package io.portcullis.server.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import io.portcullis.server.testing.TestCa;
import io.portcullis.server.testing.TlsProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Certificate files named in the config are swapped in when they change, without a restart and without touching open
 * connections; a corrupt or mismatched replacement is refused and the certificate in service stays.
 */
class CertificateFileReloadTest {
    private static final TestCa FIRST = TestCa.createUnchecked("First");
    private static final TestCa SECOND = TestCa.createUnchecked("Second");
    private static final Path FILES = createDir();

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> {
        install(FIRST);
        return """
                limits: {idle_timeout: 60s}
                sites:
                  - hosts: [localhost]
                    tls:
                      certificates:
                        - {cert: "%s", key: "%s"}
                    routes:
                      - respond: "files"
                """.formatted(FILES.resolve("cert.pem"), FILES.resolve("key.pem"));
    });

    @AfterAll
    static void cleanUp() {
        FIRST.close();
        SECOND.close();
    }

    @Test
    void changedFilesAreServedToNewConnectionsWhileAnOpenOneKeepsWorkingAndBrokenOnesAreRefused() throws Exception {
        assertThat(issuer(servedLeaf())).contains("First Test CA");
        try (RawHttpsClient open = RawHttpsClient.connect(TlsProbe.trustAll(), server.httpsPort(), "localhost")) {
            open.setTimeoutMillis(20_000);
            assertThat(get(open, "/before").status()).isEqualTo(200);

            install(SECOND);
            awaitIssuer("Second Test CA");

            RawResponse after = get(open, "/after");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body()).isEqualTo("files");
            assertThat(issuer((X509Certificate) open.socket().getSession().getPeerCertificates()[0]))
                    .contains("First Test CA");
        }

        // Corrupt certificate: refused, the second certificate keeps serving.
        Files.writeString(FILES.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n");
        Thread.sleep(5_000); // more than two polls
        assertThat(issuer(servedLeaf())).contains("Second Test CA");

        // A valid certificate with a key that is not its own: refused as well.
        Files.copy(FIRST.serverChain, FILES.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(5_000);
        assertThat(issuer(servedLeaf())).contains("Second Test CA");

        // Fixed (the matching key arrives): swapped in.
        Files.copy(FIRST.serverKey, FILES.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
        awaitIssuer("First Test CA");
    }

    private static RawResponse get(RawHttpsClient c, String path) throws Exception {
        c.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return c.readResponse();
    }

    private static void awaitIssuer(String issuer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String last = null;
        while (System.nanoTime() < deadline) {
            last = issuer(servedLeaf());
            if (last.contains(issuer)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("still served by " + last + ", expected " + issuer);
    }

    private static X509Certificate servedLeaf() throws Exception {
        try (RawHttpsClient c = RawHttpsClient.connect(TlsProbe.trustAll(), server.httpsPort(), "localhost")) {
            return (X509Certificate) c.socket().getSession().getPeerCertificates()[0];
        }
    }

    private static String issuer(X509Certificate cert) {
        return cert.getIssuerX500Principal().getName();
    }

    private static void install(TestCa ca) {
        try {
            Files.copy(ca.serverKey, FILES.resolve("key.pem.tmp"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(ca.serverChain, FILES.resolve("cert.pem.tmp"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(FILES.resolve("key.pem.tmp"), FILES.resolve("key.pem"), StandardCopyOption.ATOMIC_MOVE);
            Files.move(FILES.resolve("cert.pem.tmp"), FILES.resolve("cert.pem"), StandardCopyOption.ATOMIC_MOVE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path createDir() {
        try {
            return Files.createTempDirectory(FIRST.dir, "files-");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
