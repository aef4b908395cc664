package io.portcullis.server.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.certs.acme.AcmeCertificates;
import io.portcullis.certs.acme.AcmeRevocation;
import io.portcullis.certs.storage.FileStorage;
import io.portcullis.certs.storage.Locker;
import io.portcullis.tls.CertifiedKey;
import io.portcullis.tls.LocalCa;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.testing.FreePorts;
import io.portcullis.server.testing.MetricsScrape;
import io.portcullis.server.testing.Pebble;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import io.portcullis.server.testing.TlsProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
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
    /** Key id and base64url MAC key Pebble is to require of new accounts; null: no binding required. */
    private String[] externalAccount;

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
    private interface Setup {
        void run() throws Exception;
    }

    private void start(String host, String acmeExtra, long validitySeconds, boolean httpListener) throws Exception {
        start(host, acmeExtra, validitySeconds, httpListener, () -> { });
    }

    /** @param beforeServer runs once Pebble is up and before Portcullis starts */
    private void start(String host, String acmeExtra, long validitySeconds, boolean httpListener,
                       Setup beforeServer) throws Exception {
        if (dir == null) {
            dir = Files.createTempDirectory("portcullis-acme-");
        }
        int httpsPort = FreePorts.take();
        int httpPort = FreePorts.take();
        pebble = Pebble.prepare();
        if (externalAccount != null) {
            pebble.requireExternalAccount(externalAccount[0], externalAccount[1]);
        }
        pebble.launch(httpPort, httpsPort, validitySeconds);
        String yaml = """
                data_dir: "%s"
                access_log: {output: off}
                listeners:
                  https: {address: 127.0.0.1, port: %d}
                  http: {address: 127.0.0.1, port: %d, enabled: %s}
                  fallback_ports: false
                limits: {idle_timeout: 120s}
                admin: {address: 127.0.0.1, port: 0}
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
        beforeServer.run();
        PortcullisConfig config = ConfigLoader.load(dir.resolve("portcullis.yaml"));
        server = PortcullisServer.start(config);
    }

    @Test
    void issuesWithHttp01AndServesAChainThatVerifiesForTheName() throws Exception {
        start("http01.example.com", "challenges: [http-01]", 0, true);
        X509Certificate leaf = awaitPebbleCertificate("http01.example.com", null);
        assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1)).isEqualTo(
                "http01.example.com"));
        // /metrics: one order issued, none failed, and the days the served certificate has left (Pebble: ~5 years).
        String metrics = MetricsScrape.scrape(server);
        assertThat(MetricsScrape.value(metrics, "portcullis_acme_orders_total", "outcome=\"issued\"")).isEqualTo(1);
        assertThat(MetricsScrape.value(metrics, "portcullis_acme_orders_total", "outcome=\"failed\"")).isZero();
        double expected = Duration.between(java.time.Instant.now(), leaf.getNotAfter().toInstant()).toSeconds()
                / 86_400.0;
        assertThat(MetricsScrape.value(metrics, "portcullis_certificate_days_left", "host=\"http01.example.com\"",
                "source=\"acme\"")).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.01))
                .isGreaterThan(300);

        // A client that trusts only Pebble's issuing root and checks the host name, as a browser would.
        SSLContext pebbleTrust = TlsProbe.trusting(pebble.issuingRootPem());
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

    /**
     * {@code must_staple: true} orders with a CSR of Portcullis's own that asks for the TLS Feature extension
     * (status_request); the CA accepts it and the certificate is issued and served. Debian's Pebble 2.4 (the old
     * {@code github.com/letsencrypt/pebble} module) builds certificates from the CSR's names and key only, so it drops
     * the extension, and it runs no OCSP responder (its {@code ocspResponderURL} only names one in the AIA): with it,
     * neither the extension in the served certificate nor a staple can be shown. The CSR's extension is checked by
     * {@code CsrFactoryTest} (BouncyCastle and {@code openssl req}); when the installed Pebble copies it (Pebble 2.5
     * and later do), this test checks it in the served certificate too.
     */
    @Test
    void mustStapleOrdersAreIssuedAndServed() throws Exception {
        start("staple.example.com", "must_staple: true", 0, true);
        X509Certificate leaf = awaitPebbleCertificate("staple.example.com", null);
        assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1)).isEqualTo(
                "staple.example.com"));
        byte[] ext = leaf.getExtensionValue("1.3.6.1.5.5.7.1.24");
        if (ext != null) { // a Pebble that honours the CSR's extensions
            assertThat(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets())
                    .as("TLS Feature: status_request").containsExactly(0x30, 0x03, 0x02, 0x01, 0x05);
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
        try (SSLSocket s = handshake(TlsProbe.trusting(pebble.issuingRootPem()), "alpn.example.com", true)) {
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @Test
    @Tag("slow")
    void renewalAtTwoThirdsOfALifetimeSwapsTheCertificateWhileAConnectionStaysOpen() throws Exception {
        start("renew.example.com", "", 30, true);
        X509Certificate first = awaitPebbleCertificate("renew.example.com", null);
        RawHttpsClient open = RawHttpsClient.connect(TlsProbe.trustAll(), server.httpsPort(), "renew.example.com");
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
        String metrics = MetricsScrape.scrape(server);
        assertThat(MetricsScrape.value(metrics, "portcullis_acme_orders_total", "outcome=\"issued\"")).isEqualTo(1);
        assertThat(MetricsScrape.value(metrics, "portcullis_acme_orders_total", "outcome=\"renewed\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(MetricsScrape.value(metrics, "portcullis_certificate_days_left", "host=\"renew.example.com\"",
                "source=\"acme\"")).isBetween(0.0, 30 / 86_400.0);
    }

    @Test
    void aFailingChallengeLeavesTheOldCertificateInService() throws Exception {
        String host = "fail.example.com";
        dir = Files.createTempDirectory("portcullis-acme-");
        // A certificate past two thirds of its life is in storage; the name now resolves where nobody listens
        // (127.0.0.2), so both HTTP-01 and TLS-ALPN-01 validations of its renewal fail to connect.
        CertifiedKey old = agedCertificate(host);
        start(host, "", 0, true, () -> {
            new AcmeCertificates(new FileStorage(dir.resolve("data/storage")), pebble.directory())
                    .save(List.of(host), old);
            pebble.addA(host, "127.0.0.2");
        });

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.certServices().acme().status().stream().noneMatch(s -> s.failures() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(server.certServices().acme().status()).as("pebble log:\n%s", pebble.log()).singleElement().satisfies(st -> {
            assertThat(st.failures()).isEqualTo(1);
            assertThat(st.nextAttempt()).isAfter(java.time.Instant.now().plusSeconds(50)); // backoff, not 1 s
            assertThat(st.lastError()).contains(host).contains("urn:ietf:params:acme:error:connection")
                    .contains("127.0.0.2");
        });
        assertThat(served(host)).isEqualTo(old.leaf());
        assertThat(MetricsScrape.value(MetricsScrape.scrape(server), "portcullis_acme_orders_total",
                "outcome=\"failed\"")).isEqualTo(1);
        try (RawHttpsClient c = RawHttpsClient.connect(TlsProbe.trustAll(), server.httpsPort(), host)) {
            c.write("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
        // A forced renewal fails the same way and reports the CA's problem; the old certificate still serves.
        assertThatThrownBy(() -> server.certServices().acme().renew(host).get(120, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("urn:ietf:params:acme:error:");
        assertThat(served(host)).isEqualTo(old.leaf());
    }

    @Test
    void aCaRequiringExternalAccountBindingIssuesWithTheKeyAndRefusesWithout() throws Exception {
        String key = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "a-32-byte-hmac-key-for-the-test!".getBytes(StandardCharsets.US_ASCII));
        externalAccount = new String[] {"kid-portcullis", key};
        start("eab.example.com", "challenges: [http-01]\neab_key_id: kid-portcullis\neab_hmac_key: " + key, 0,
                true);
        X509Certificate leaf = awaitPebbleCertificate("eab.example.com", null);
        assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1)).isEqualTo(
                "eab.example.com"));
        server.stop(Duration.ZERO);
        server = null;
        pebble.close();

        // The same CA, an account without the binding: refused with the CA's problem, the site keeps its
        // placeholder, nothing stops.
        start("noeab.example.com", "challenges: [http-01]", 0, true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.certServices().acme().status().stream().noneMatch(s -> s.failures() > 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(server.certServices().acme().status()).as("pebble log:\n%s", pebble.log()).singleElement()
                .satisfies(st -> {
                    assertThat(st.names()).containsExactly("noeab.example.com");
                    assertThat(st.lastError()).contains("urn:ietf:params:acme:error:externalAccountRequired");
                });
        try (RawHttpsClient c = RawHttpsClient.connect(TlsProbe.trustAll(), server.httpsPort(),
                "noeab.example.com")) {
            c.write("GET / HTTP/1.1\r\nHost: noeab.example.com\r\nConnection: close\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
    }

    /** A self-signed certificate for {@code host}, 80 of its 90 days used: due for renewal. */
    private static CertifiedKey agedCertificate(String host) throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        java.security.KeyPair keys = g.generateKeyPair();
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=" + host);
        var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.TEN,
                java.util.Date.from(now.minus(Duration.ofDays(80))), java.util.Date.from(now.plus(Duration.ofDays(10))),
                name, keys.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.dNSName, host)));
        X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(keys.getPrivate())));
        return new CertifiedKey(keys.getPrivate(), List.of(cert));
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

    @Test
    void anInstanceWaitingForTheLockUsesTheCertificateAnotherInstanceStoredInsteadOfOrdering() throws Exception {
        String host = "lock.example.com";
        dir = Files.createTempDirectory("portcullis-acme-");
        // Another instance sharing this storage holds the lock for the name while it orders.
        FileStorage shared = new FileStorage(dir.resolve("data/storage"));
        Locker.Lock other = shared.lock(AcmeCertificates.lockName(List.of(host)), Duration.ofMinutes(5),
                Duration.ZERO);
        start(host, "", 0, true);
        Thread.sleep(1_500); // the scheduler's first check is now waiting for the lock

        // The other instance finishes: its certificate is in storage, then it releases the lock.
        CertifiedKey theirs = LocalCa.open(dir.resolve("other-ca")).issueLeaf(List.of(host));
        new AcmeCertificates(shared, pebble.directory()).save(List.of(host), theirs);
        other.close();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!served(host).equals(theirs.leaf()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(served(host)).isEqualTo(theirs.leaf());
        assertThat(pebble.log()).doesNotContain("order-plz"); // this instance never ordered
    }

    @Test
    void anotherInstanceSharingStorageAnswersTheHttp01Challenge() throws Exception {
        String host = "shared.example.com";
        dir = Files.createTempDirectory("portcullis-acme-");
        int peerHttps = FreePorts.take();
        int peerHttp = FreePorts.take();
        // The CA reaches only the peer (as a load balancer might send it there); the peer has no ACME of its own.
        pebble = Pebble.start(peerHttp, peerHttps, 0);
        PortcullisServer peer = PortcullisServer.start(ConfigLoader.loadString("""
                data_dir: "%s"
                access_log: {output: off}
                admin: {enabled: false}
                listeners:
                  https: {address: 127.0.0.1, port: %d}
                  http: {address: 127.0.0.1, port: %d}
                  fallback_ports: false
                sites:
                  - hosts: [%s]
                    tls: internal
                """.formatted(dir.resolve("data"), peerHttps, peerHttp, host), "peer.yaml", dir));
        try {
            server = PortcullisServer.start(ConfigLoader.loadString("""
                    data_dir: "%s"
                    access_log: {output: off}
                    admin: {enabled: false}
                    listeners:
                      https: {address: 127.0.0.1, port: 0}
                      http: {address: 127.0.0.1, port: 0}
                      fallback_ports: false
                    acme:
                      directory: %s
                      ca_root: "%s"
                      challenges: [http-01]
                      check_interval: 1s
                    sites:
                      - hosts: [%s]
                    """.formatted(dir.resolve("data"), pebble.directory(), pebble.caRoot(), host), "a.yaml", dir));
            X509Certificate leaf = awaitPebbleCertificate(host, null);
            assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(n -> assertThat(n.get(1)).isEqualTo(host));
            try (Stream<Path> files = Files.walk(dir.resolve("data/storage"))) {
                assertThat(files.map(Path::toString)).noneMatch(p -> p.contains("challenges/http-01/"));
            }
        } finally {
            peer.stop(Duration.ZERO);
        }
    }

    private X509Certificate awaitPebbleCertificate(String host, java.math.BigInteger notSerial) throws Exception {
        return TlsProbe.awaitPebbleCertificate(server, pebble, host, notSerial);
    }

    private X509Certificate served(String host) throws Exception {
        return TlsProbe.served(server.httpsPort(), host);
    }

    private SSLSocket handshake(SSLContext ctx, String host, boolean verifyName) throws Exception {
        return TlsProbe.handshake(ctx, server.httpsPort(), host, verifyName);
    }
}
