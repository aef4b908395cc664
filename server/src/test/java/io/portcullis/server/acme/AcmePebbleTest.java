package io.portcullis.server.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.certs.acme.AcmeRevocation;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.Pebble;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ACME against a real Pebble: Portcullis gets its certificates through its own listeners (HTTP-01 on the http port,
 * TLS-ALPN-01 on the https port), renews them without a restart, keeps the old one when a challenge fails, and revokes.
 */
class AcmePebbleTest {
    private Path dir;
    private Pebble pebble;
    private PortcullisServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
        if (pebble != null) {
            pebble.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Pebble aimed at two free ports, then Portcullis on exactly those ports with the given acme options. */
    private void start(String host, String acmeExtra, long validitySeconds, boolean httpListener) throws Exception {
        dir = Files.createTempDirectory("portcullis-acme-");
        int httpsPort = Pebble.freePort();
        int httpPort = Pebble.freePort();
        pebble = Pebble.start(httpPort, httpsPort, validitySeconds);
        String yaml = """
                data_dir: "%s"
                access_log: {output: off}
                listeners:
                  https: {address: 127.0.0.1, port: %d}
                  http: {address: 127.0.0.1, port: %d, enabled: %s}
                  fallback_ports: false
                limits: {idle_timeout: 120s}
                admin: {enabled: false}
                acme:
                  directory: %s
                  ca_root: "%s"
                  email: ops@example.com
                  check_interval: 1s
                %s
                sites:
                  - hosts: [%s]
                    routes:
                      - respond: "hello from %s"
                """.formatted(dir.resolve("data"), httpsPort, httpPort, httpListener, pebble.directory(),
                pebble.caRoot(), acmeExtra.indent(2).stripTrailing(), host, host);
        Files.writeString(dir.resolve("portcullis.yaml"), yaml);
        PortcullisConfig config = ConfigLoader.load(dir.resolve("portcullis.yaml"));
        server = PortcullisServer.start(config);
    }

    @Test
    void issuesWithHttp01AndServesAChainThatVerifiesForTheName() throws Exception {
        start("http01.example.com", "challenges: [http-01]", 0, true);
        X509Certificate leaf = awaitPebbleCertificate("http01.example.com", null);
        assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1)).isEqualTo(
                "http01.example.com"));

        // A client that trusts only Pebble's issuing root and checks the host name, as a browser would.
        SSLContext pebbleTrust = trusting(pebble.issuingRootPem());
        try (SSLSocket s = handshake(pebbleTrust, "http01.example.com", true)) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: http01.example.com\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 200").contains("hello from http01.example.com");
        }
        // Account key and certificate live in storage, private.
        try (Stream<Path> files = Files.walk(dir.resolve("data/storage"))) {
            List<Path> blobs = files.filter(Files::isRegularFile).toList();
            assertThat(blobs).anySatisfy(p -> assertThat(p.toString()).endsWith("account.pem"))
                    .anySatisfy(p -> assertThat(p.toString()).endsWith("certificate.pem"));
            for (Path p : blobs) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void issuesWithTlsAlpn01WithThePort80ListenerOff() throws Exception {
        start("alpn.example.com", "challenges: [tls-alpn-01]", 0, false);
        assertThat(server.httpPort()).isEqualTo(-1);
        X509Certificate leaf = awaitPebbleCertificate("alpn.example.com", null);
        assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1)).isEqualTo(
                "alpn.example.com"));
        // Ordinary clients never saw the validation certificate: they get the site's certificate and a page.
        try (SSLSocket s = handshake(trusting(pebble.issuingRootPem()), "alpn.example.com", true)) {
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @Test
    @Tag("slow")
    void renewalAtTwoThirdsOfALifetimeSwapsTheCertificateWhileAConnectionStaysOpen() throws Exception {
        start("renew.example.com", "", 30, true);
        X509Certificate first = awaitPebbleCertificate("renew.example.com", null);
        RawHttpsClient open = RawHttpsClient.connect(trustAll(), server.httpsPort(), "renew.example.com");
        open.write("GET /one HTTP/1.1\r\nHost: renew.example.com\r\n\r\n");
        assertThat(open.readResponse().status()).isEqualTo(200);

        // 30 s lifetime: due after 20 s; the scheduler checks every second.
        X509Certificate second = awaitPebbleCertificate("renew.example.com", first.getSerialNumber());
        assertThat(second.getNotBefore()).isAfterOrEqualTo(first.getNotBefore());

        open.write("GET /two HTTP/1.1\r\nHost: renew.example.com\r\n\r\n");
        RawResponse again = open.readResponse();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("hello from renew.example.com");
        assertThat(((X509Certificate) open.socket().getSession().getPeerCertificates()[0]).getSerialNumber())
                .isEqualTo(first.getSerialNumber());
        open.close();
    }

    @Test
    void aFailingChallengeLeavesTheOldCertificateInService() throws Exception {
        start("fail.example.com", "", 0, true);
        X509Certificate first = awaitPebbleCertificate("fail.example.com", null);
        // Nothing listens on 127.0.0.2: both HTTP-01 and TLS-ALPN-01 validations will fail to connect.
        pebble.addA("fail.example.com", "127.0.0.2");

        assertThatThrownBy(() -> server.acme().renew("fail.example.com").get(120, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("fail.example.com")
                .hasMessageContaining("urn:ietf:params:acme:error:");
        assertThat(server.acme().status()).singleElement().satisfies(st -> {
            assertThat(st.failures()).isEqualTo(1);
            assertThat(st.nextAttempt()).isNotNull();
            assertThat(st.lastError()).contains("urn:ietf:params:acme:error:");
        });
        assertThat(served("fail.example.com").getSerialNumber()).isEqualTo(first.getSerialNumber());
        try (RawHttpsClient c = RawHttpsClient.connect(trustAll(), server.httpsPort(), "fail.example.com")) {
            c.write("GET / HTTP/1.1\r\nHost: fail.example.com\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void revokeMarksTheCertificateRevokedAtTheCaAndTheServerOrdersANewOne() throws Exception {
        start("revoke.example.com", "", 0, true);
        X509Certificate first = awaitPebbleCertificate("revoke.example.com", null);
        String serial = first.getSerialNumber().toString(16);
        assertThat(pebble.certStatus(serial)).contains("\"Status\": \"Valid\"");

        X509Certificate revoked = AcmeRevocation.revoke(ConfigLoader.load(dir.resolve("portcullis.yaml")),
                "revoke.example.com");
        assertThat(revoked.getSerialNumber()).isEqualTo(first.getSerialNumber());
        assertThat(pebble.certStatus(serial)).contains("\"Status\": \"Revoked\"");
        X509Certificate replacement = awaitPebbleCertificate("revoke.example.com", first.getSerialNumber());
        assertThat(replacement.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    }

    /** Waits until the served certificate for {@code host} comes from Pebble and is not {@code notSerial}. */
    private X509Certificate awaitPebbleCertificate(String host, java.math.BigInteger notSerial) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        X509Certificate last = null;
        while (System.nanoTime() < deadline) {
            last = served(host);
            if (last.getIssuerX500Principal().getName().contains("Pebble")
                    && !last.getSerialNumber().equals(notSerial)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no new Pebble certificate for " + host + "; last served: "
                + (last == null ? null : last.getIssuerX500Principal()) + "\nscheduler: " + server.acme().status()
                + "\npebble log:\n" + pebble.log());
    }

    private X509Certificate served(String host) throws Exception {
        try (SSLSocket s = handshake(trustAll(), host, false)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private SSLSocket handshake(SSLContext ctx, String host, boolean verifyName) throws Exception {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 5000);
        s.setSoTimeout(10_000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        p.setApplicationProtocols(new String[] {"http/1.1"});
        if (verifyName) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static SSLContext trusting(String pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("pebble", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** For looking at what is served, whatever it is (the placeholder before issuance is not trusted by anyone). */
    private static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }
}
