package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.certs.trust.TrustStoreInstaller;
import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.Processes;
import io.portcullis.tls.PemFiles;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local CA end to end: the served chain verifies against the root with openssl; after {@code portcullis trust} a
 * client that uses only the system store (curl without --cacert) connects; {@code untrust} takes it out again. The
 * system and Java stores are restored even when an assertion fails.
 */
class TrustCommandTest {
    @TempDir
    Path dir;
    private PortcullisServer server;

    @AfterEach
    void restore() {
        new TrustStoreInstaller().uninstall(); // idempotent: a no-op when the test already untrusted
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void servedChainVerifiesAndTrustMakesTheSystemStoreAcceptIt() throws Exception {
        Path config = Files.writeString(dir.resolve("portcullis.yaml"), """
                data_dir: "%s"
                access_log: {output: off}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {enabled: false}
                  fallback_ports: false
                admin: {enabled: false}
                sites:
                  - hosts: [localhost]
                    routes: [{respond: "trusted"}]
                """.formatted(dir.resolve("data")));
        server = PortcullisServer.start(ConfigLoader.load(config));
        int port = server.httpsPort();
        Path root = server.certs().localCaRoot();

        // The served chain (leaf + intermediate) verifies against the root.
        X509Certificate[] chain = servedChain(port);
        assertThat(chain).hasSize(2);
        Path leaf = Files.writeString(dir.resolve("leaf.pem"), PemFiles.toPem(chain[0]));
        Path inter = Files.writeString(dir.resolve("inter.pem"), PemFiles.toPem(chain[1]));
        Processes.Result verify = Processes.run(Duration.ofSeconds(20), "openssl", "verify", "-CAfile",
                root.toString(), "-untrusted", inter.toString(), leaf.toString());
        assertThat(verify.ok()).as(verify.toString()).isTrue();
        assertThat(verify.output()).contains(leaf + ": OK");

        String url = "https://localhost:" + port + "/";
        Processes.Result before = Processes.run(Duration.ofSeconds(20), "curl", "-sS", url);
        assertThat(before.exitCode()).as(before.toString()).isEqualTo(60); // certificate problem

        CliRun trust = CliRun.of("trust", "--config", config.toString());
        assertThat(trust.exit()).as(trust.out() + trust.err()).isZero();
        assertThat(Files.readString(Path.of("/usr/local/share/ca-certificates", TrustStoreInstaller.FILE_NAME)))
                .isEqualTo(Files.readString(root));
        Processes.Result trusted = Processes.run(Duration.ofSeconds(20), "curl", "-sS", url);
        assertThat(trusted.ok()).as(trusted.toString()).isTrue();
        assertThat(trusted.output()).isEqualTo("trusted");
        Processes.Result javaStore = keytoolList();
        assertThat(javaStore.ok()).as(javaStore.toString()).isTrue();

        CliRun untrust = CliRun.of("untrust");
        assertThat(untrust.exit()).as(untrust.out() + untrust.err()).isZero();
        assertThat(Path.of("/usr/local/share/ca-certificates", TrustStoreInstaller.FILE_NAME)).doesNotExist();
        Processes.Result after = Processes.run(Duration.ofSeconds(20), "curl", "-sS", url);
        assertThat(after.exitCode()).as(after.toString()).isEqualTo(60);
        assertThat(keytoolList().ok()).isFalse();
        assertThat(Files.exists(Path.of("/etc/ssl/certs/portcullis-root.pem"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        try (var links = Files.list(Path.of("/etc/ssl/certs"))) {
            assertThat(links.filter(Files::isSymbolicLink).filter(l -> !Files.exists(l)).map(Path::toString))
                    .as("dangling links left in /etc/ssl/certs").isEmpty();
        }
        Processes.Result all = Processes.run(Duration.ofSeconds(30), Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString(), "-list", "-cacerts", "-storepass", "changeit");
        assertThat(all.output()).doesNotContainIgnoringCase("portcullis");
    }

    private static Processes.Result keytoolList() throws Exception {
        return Processes.run(Duration.ofSeconds(30), Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-list", "-cacerts", "-storepass", "changeit", "-alias", TrustStoreInstaller.JAVA_ALIAS);
    }

    private static X509Certificate[] servedChain(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("localhost")));
            s.setSSLParameters(p);
            s.startHandshake();
            return Arrays.stream(s.getSession().getPeerCertificates()).map(c -> (X509Certificate) c)
                    .toArray(X509Certificate[]::new);
        }
    }
}
