package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.server.testing.H3Client;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.Processes;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import io.portcullis.server.testing.TestCa;
import io.portcullis.server.testing.TestUpstream;
import io.portcullis.server.testing.Trust;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client certificates per site ({@code tls.client_auth}): asked for only in that site's handshakes, verified against
 * its CA bundle, the subject passed to the upstream in a header no client can set.
 */
class MutualTlsTest {
    private static final TestCa CLIENTS = TestCa.createUnchecked("Clients");
    private static final TestCa STRANGERS = TestCa.createUnchecked("Strangers");
    private static final Path ALICE = keyStore(CLIENTS, "alice", "/CN=alice/O=Portcullis Test");
    static {
        keyStore(STRANGERS, "mallory", "/CN=mallory");
    }
    private static final TestUpstream UPSTREAM = TestUpstream.start();

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                tls: {client_auth: {ca: "%1$s"}}
                routes: [{proxy: {upstreams: ["%2$s"]}}]
              - hosts: [optional.test]
                tls: {client_auth: {ca: "%1$s", mode: optional, subject_header: X-Ssl-Subject}}
                routes: [{proxy: {upstreams: ["%2$s"]}}]
              - hosts: [open.test]
                routes: [{proxy: {upstreams: ["%2$s"]}}]
            """.formatted(CLIENTS.caCert, UPSTREAM.uri()));

    private static Path keyStore(TestCa ca, String name, String subject) {
        try {
            return ca.clientKeyStore(name, subject);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void cleanUp() {
        UPSTREAM.close();
        CLIENTS.close();
        STRANGERS.close();
    }

    private static SSLContext client(Path keyStore) throws Exception {
        return Trust.withClientCertificate(server.caFile(), keyStore);
    }

    private static HttpResponse<String> get(Version v, Path keyStore, String path) throws Exception {
        HttpClient c = HttpClient.newBuilder().version(v).sslContext(client(keyStore))
                .connectTimeout(Duration.ofSeconds(5)).build();
        return c.send(HttpRequest.newBuilder(server.uri(path)).header("X-Client-Subject", "CN=admin").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void requiredAndValidReachesTheUpstreamWithTheSubjectOnly(Version v) throws Exception {
        HttpResponse<String> r = get(v, ALICE, "/header/X-Client-Subject");
        assertThat(r.statusCode()).isEqualTo(200);
        // The spoofed "CN=admin" the client sent is gone; only the verified subject arrives.
        assertThat(r.body()).isEqualTo("O=Portcullis Test,CN=alice");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void requiredWithoutCertificateFailsTheHandshake(Version v) {
        int before = UPSTREAM.bodiesRead();
        assertThatThrownBy(() -> get(v, null, "/header/X-Client-Subject")).isInstanceOf(IOException.class);
        assertThat(UPSTREAM.bodiesRead()).isEqualTo(before);
    }

    /** openssl s_client to the https port with SNI {@code sni}, sending one request; the client's output. */
    private static String sClient(String sni, String version, Path certPem) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.httpsPort(),
                "-servername", sni, "-CAfile", server.caFile().toString(), "-ign_eof",
                version.equals("TLSv1.3") ? "-tls1_3" : "-tls1_2"));
        if (certPem != null) {
            cmd.addAll(List.of("-cert", certPem.toString(), "-key", certPem.toString().replace(".pem", ".key")));
        }
        return Processes.run(Duration.ofSeconds(10), "GET /header/X-Client-Subject HTTP/1.1\r\nHost: " + sni
                + "\r\nConnection: close\r\n\r\n", cmd).output();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void requiredWithoutCertificateGetsTheRightAlertAndIsAudited(String version) throws Exception {
        // TLS 1.3 has its own alert for this (RFC 8446 section 4.4.2.4); TLS 1.2 says handshake_failure.
        String out = sClient("localhost", version, null);
        assertThat(out).contains(version.equals("TLSv1.3") ? "SSL alert number 116" : "SSL alert number 40")
                .doesNotContain("HTTP/1.1 200");
        assertThat(server.auditLine("\"event\":\"handshake_failed\"", "\"kind\":\"bad_client_cert\"",
                "\"sni\":\"localhost\"")).contains("127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void certificateFromAnotherCaFailsEvenWhereOptional(String version) throws Exception {
        Path mallory = STRANGERS.dir.resolve("mallory.pem");
        for (String sni : List.of("localhost", "optional.test")) {
            // bad_certificate (42) or unknown_ca (48), never an answer
            assertThat(sClient(sni, version, mallory)).containsPattern("SSL alert number 4[28]")
                    .doesNotContain("HTTP/1.1 200");
        }
        assertThat(sClient("localhost", version, CLIENTS.dir.resolve("alice.pem")))
                .contains("HTTP/1.1 200").contains("O=Portcullis Test,CN=alice");
        assertThat(server.auditLine("\"kind\":\"bad_client_cert\"", "\"sni\":\"optional.test\""))
                .contains("handshake_failed");
    }

    private static RawResponse rawGet(Path keyStore, String sni, String host, String path) throws Exception {
        try (RawHttpsClient c = RawHttpsClient.connect(client(keyStore), server.httpsPort(), sni)) {
            c.write("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-Client-Subject: CN=admin\r\n"
                    + "X-Ssl-Subject: CN=admin\r\nConnection: close\r\n\r\n");
            return c.readResponse();
        }
    }

    @Test
    void optionalWithoutCertificateProceedsWithoutTheHeader() throws Exception {
        RawResponse r = rawGet(null, "optional.test", "optional.test", "/header/X-Ssl-Subject");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("(none)");
    }

    @Test
    void optionalWithCertificatePassesItsSubject() throws Exception {
        RawResponse r = rawGet(ALICE, "optional.test", "optional.test", "/header/X-Ssl-Subject");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("O=Portcullis Test,CN=alice");
    }

    @Test
    void sitesWithoutClientAuthNeitherAskNorPassASpoofedSubject() throws Exception {
        RawResponse r = rawGet(null, "open.test", "open.test", "/header/X-Client-Subject");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("(none)");
    }

    @Test
    void anotherSitesHandshakeCannotReachAClientAuthSite() throws Exception {
        // SNI of a site without client certificates, Host of one that requires them: 421, never the upstream.
        RawResponse r = rawGet(ALICE, "open.test", "localhost", "/header/X-Client-Subject");
        assertThat(r.status()).isEqualTo(421);
        assertThat(server.auditLine("\"rule\":\"client_auth\"", "\"action\":\"misdirected\"")).contains("localhost");
        // Nor the other way: alice's certificate verified for optional.test does not vouch for localhost.
        assertThat(rawGet(ALICE, "optional.test", "localhost", "/header/X-Client-Subject").status()).isEqualTo(421);
    }

    @Test
    void http3IsNeitherAdvertisedNorAWayAround() throws Exception {
        HttpResponse<String> tcp = get(Version.HTTP_2, ALICE, "/header/X-Client-Subject");
        assertThat(tcp.headers().firstValue("alt-svc")).isEmpty();
        assertThat(rawGet(null, "open.test", "open.test", "/x").headers()).containsKey("alt-svc");
        // Netty's QUIC server does not ask for client certificates: a request over HTTP/3 never reaches the upstream.
        int before = UPSTREAM.bodiesRead();
        try (H3Client c = H3Client.connect(server.caFile(), "localhost", server.server().http3Port(),
                CLIENTS.dir.resolve("alice.pem"))) {
            assertThat(c.request("GET", "/header/X-Client-Subject", Map.of("x-client-subject", "CN=admin"), null)
                    .status()).isEqualTo(421);
        }
        assertThat(UPSTREAM.bodiesRead()).isEqualTo(before);
    }
}
