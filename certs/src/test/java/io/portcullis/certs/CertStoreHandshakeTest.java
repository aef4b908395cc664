package io.portcullis.certs;

import static io.portcullis.certs.TestConfigs.config;
import static io.portcullis.certs.TestConfigs.defaultPolicy;
import static io.portcullis.certs.TestConfigs.filesSite;
import static io.portcullis.certs.TestConfigs.internalSite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslProvider;
import io.portcullis.config.CertificateFiles;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.tls.PemFiles;
import io.portcullis.tls.SubjectNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes against a Netty server using the store's SNI mapping (BoringSSL). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertStoreHandshakeTest {
    static final String[] ECDSA_TLS12 = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
    static final String[] RSA_TLS12 = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"};

    Path dir;
    SiteConfig exact;
    SiteConfig wildcard;
    SiteConfig fallback;
    SiteConfig dual;
    CertStore store;
    TlsTestServer server;
    Supplier<SSLContext> client;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "ec.key", "-out", "ec.pem", "-subj", "/CN=dual.test", "-addext", "subjectAltName=DNS:dual.test",
                "-days", "2");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key", "-out", "rsa.pem", "-subj",
                "/CN=dual.test", "-addext", "subjectAltName=DNS:dual.test", "-days", "2");
        exact = internalSite(false, "exact.test");
        wildcard = internalSite(false, "*.wild.test");
        fallback = internalSite(true, "default.test");
        // RSA listed first: the store must still prefer ECDSA.
        dual = filesSite(List.of(new CertificateFiles(dir.resolve("rsa.pem"), dir.resolve("rsa.key")),
                new CertificateFiles(dir.resolve("ec.pem"), dir.resolve("ec.key"))), "dual.test");
        PortcullisConfig cfg = config(dir.resolve("data"), defaultPolicy(), exact, wildcard, fallback, dual);
        store = CertStore.create(cfg, providerUnderTest());
        server = new TlsTestServer(store);
        client = TlsTestServer.clientTrusting(List.of(
                PemFiles.readCertificates(store.localCaRoot()).get(0),
                PemFiles.readCertificates(dir.resolve("ec.pem")).get(0),
                PemFiles.readCertificates(dir.resolve("rsa.pem")).get(0)));
    }

    /** Overridden to run the same handshakes on the JSSE fallback. */
    SslProvider providerUnderTest() {
        return SslProvider.OPENSSL;
    }

    @AfterAll
    void stop() {
        server.close();
        store.close();
    }

    @Test
    void exactNameGetsItsSite() throws Exception {
        X509Certificate leaf = server.handshake(client, "exact.test", null, null).leaf();
        assertThat(SubjectNames.of(leaf)).containsExactly("exact.test");
        assertThat(leaf).isEqualTo(store.chain(exact, "EC").get(0));
    }

    @Test
    void oneLabelWildcardMatches() throws Exception {
        assertThat(SubjectNames.of(server.handshake(client, "a.wild.test", null, null).leaf()))
                .containsExactly("*.wild.test");
    }

    @Test
    void unknownNamesTwoLabelsBelowAWildcardAndNoSniGetTheDefault() throws Exception {
        assertThat(SubjectNames.of(server.handshake(client, "unknown.test", null, null).leaf()))
                .containsExactly("default.test");
        assertThat(SubjectNames.of(server.handshake(client, "a.b.wild.test", null, null).leaf()))
                .containsExactly("default.test");
        assertThat(SubjectNames.of(server.handshake(client, null, null, null).leaf()))
                .containsExactly("default.test");
    }

    @Test
    void negotiatesTls13AndH2() throws Exception {
        TlsTestServer.Result r = server.handshake(client, "exact.test", null, null, "h2", "http/1.1");
        assertThat(r.protocol()).isEqualTo("TLSv1.3");
        assertThat(r.alpn()).isEqualTo("h2");
        assertThat(server.handshake(client, "exact.test", null, null, "http/1.1").alpn()).isEqualTo("http/1.1");
    }

    @Test
    void servesEcdsaAndRsaSideBySide() throws Exception {
        assertThat(server.handshake(client, "dual.test", null, null).leaf().getPublicKey().getAlgorithm())
                .isEqualTo("EC");
        assertThat(server.handshake(client, "dual.test", ECDSA_TLS12, "TLSv1.2").leaf().getPublicKey()
                .getAlgorithm()).isEqualTo("EC");
        TlsTestServer.Result rsa = server.handshake(client, "dual.test", RSA_TLS12, "TLSv1.2");
        assertThat(rsa.leaf().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(rsa.cipher()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(store.chain(dual, "RSA").get(0)).isEqualTo(rsa.leaf());
    }

    @Test
    void tls13ClientsThatOnlySignWithRsaGetTheRsaCertificate() throws Exception {
        TlsTestServer.OpensslResult rsa = server.opensslClient(dir, "-tls1_3", "-sigalgs", "rsa_pss_rsae_sha256",
                "-servername", "dual.test");
        assertThat(rsa.output()).as(rsa.output()).contains("New, TLSv1.3", "Server public key is 2048 bit");
        TlsTestServer.OpensslResult ec = server.opensslClient(dir, "-tls1_3", "-servername", "dual.test");
        assertThat(ec.output()).as(ec.output()).contains("Server public key is 256 bit");
    }

    @Test
    void refusesCbcSuitesByDefault() {
        assertThatThrownBy(() -> server.handshake(client, "exact.test",
                new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"}, "TLSv1.2"))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void refusesTls11Clients() throws Exception {
        // The JDK client has TLS 1.1 disabled process-wide, so the old client is openssl.
        TlsTestServer.OpensslResult old = server.opensslClient(dir, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0",
                "-servername", "exact.test");
        assertThat(old.exitCode()).as(old.output()).isNotZero();
        assertThat(old.output()).contains("Cipher is (NONE)");

        TlsTestServer.OpensslResult current = server.opensslClient(dir, "-tls1_2", "-servername", "exact.test");
        assertThat(current.output()).as(current.output()).contains("Protocol  : TLSv1.2");
    }

    @Test
    void keyExchangeUsesOnlyTheConfiguredGroups() throws Exception {
        // JSSE has no per-context groups (only the process-wide jdk.tls.namedGroups), so this is BoringSSL's.
        org.junit.jupiter.api.Assumptions.assumeTrue(providerUnderTest() == SslProvider.OPENSSL);
        TlsTestServer.OpensslResult x25519 = server.opensslClient(dir, "-groups", "X25519", "-servername",
                "exact.test");
        assertThat(x25519.output()).as(x25519.output()).contains("Server Temp Key: X25519");
        TlsTestServer.OpensslResult x448 = server.opensslClient(dir, "-groups", "X448", "-servername",
                "exact.test");
        assertThat(x448.output()).as(x448.output()).contains("Cipher is (NONE)");
    }

    @Test
    void reportsItsProviderAndLocalCaUse() {
        assertThat(store.provider()).isEqualTo(providerUnderTest() == SslProvider.JDK ? "JDK" : "BoringSSL");
        assertThat(store.usesLocalCa(exact)).isTrue();
        assertThat(store.usesLocalCa(dual)).isFalse();
        assertThat(store.chain(dual, "EC")).hasSize(1);
    }

    void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    }
}
