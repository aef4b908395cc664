package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static io.portcullis.config.ConfigTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sites[].tls.client_auth}: parsing, defaults and errors. */
class ClientAuthConfigTest {
    private static final String CA_PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBiDCCAS+gAwIBAgIUCuKGd1/PvRKXlk1drsDTH8VJHIQwCgYIKoZIzj0EAwIw
            GTEXMBUGA1UEAwwOQ29uZmlnIFRlc3QgQ0EwIBcNMjYxMjA0MjE0NTU0WhgPMjEy
            NjExMTAyMTQ1NTRaMBkxFzAVBgNVBAMMDkNvbmZpZyBUZXN0IENBMFkwEwYHKoZI
            zj0CAQYIKoZIzj0DAQcDQgAE6WV4ZTg//EOEWMx6FLYT5DIVjh0pHvQJZc5vJ/IJ
            bIxT8rYJqH7ZybOEJv+0JN18ZkGQ2GRUvGzr3hnOjVsNQKNTMFEwHQYDVR0OBBYE
            FB6SxFMWOQZjvH5Dmxq2IBsYaydeMB8GA1UdIwQYMBaAFB6SxFMWOQZjvH5Dmxq2
            IBsYaydeMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgciGzY0C6
            bEO77nXxKgFWQ1TOs8IYtDSxdw+I06/6QwcCIEpvRfJPk7mmlYc5O5xnu1iQPAOs
            zuUMju1oVWilSOkB
            -----END CERTIFICATE-----
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        write(dir.resolve("clients.pem"), CA_PEM);
        write(dir.resolve("junk.pem"), "not a certificate\n");
    }

    @Test
    void offByDefault() throws Exception {
        PortcullisConfig c = load(dir, "sites: [{hosts: [a.test], routes: [{respond: a}]}]");
        assertThat(c.sites().get(0).tls().clientAuth()).isNull();
    }

    @Test
    void requiredWithTheDefaultHeaderAndTheUsualCertificateSource() throws Exception {
        PortcullisConfig c = load(dir,
                "sites: [{hosts: [a.test], tls: {client_auth: {ca: clients.pem}}, routes: [{respond: a}]}]");
        SiteTlsConfig tls = c.sites().get(0).tls();
        assertThat(tls.source()).isEqualTo(SiteTlsConfig.Source.INTERNAL);
        assertThat(tls.clientAuth()).isEqualTo(new ClientAuthConfig(dir.resolve("clients.pem"),
                ClientAuthConfig.Mode.REQUIRED, "X-Client-Subject"));
    }

    @Test
    void optionalWithOwnHeaderBesideAnExplicitSource() throws Exception {
        PortcullisConfig c = load(dir, "sites: [{hosts: [a.test], tls: {certificates: internal, client_auth: "
                + "{ca: clients.pem, mode: optional, subject_header: X-Ssl-Dn}}, routes: [{respond: a}]}]");
        assertThat(c.sites().get(0).tls().clientAuth())
                .isEqualTo(new ClientAuthConfig(dir.resolve("clients.pem"), ClientAuthConfig.Mode.OPTIONAL,
                        "X-Ssl-Dn"));
    }

    @Test
    void errorsNameTheKeyAndWhatIsExpected() {
        List<String> p = problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    tls: {client_auth: {ca: junk.pem, mode: sometimes, subject_header: X-Forwarded-For}}",
                "    routes: [{respond: a}]",
                "  - hosts: [b.test]",
                "    tls: {client_auth: {mode: optional, verify: true}}",
                "    routes: [{respond: b}]");
        assertThat(p).hasSize(5);
        assertThat(p.get(0)).startsWith("test.yaml:3:29: sites[0].tls.client_auth.ca: ")
                .contains("junk.pem is not a certificate file").endsWith("(expected: a PEM bundle of CA certificates)");
        assertThat(p.get(1)).isEqualTo("test.yaml:3:45: sites[0].tls.client_auth.mode: sometimes "
                + "(expected: optional or required)");
        assertThat(p.get(2)).isEqualTo("test.yaml:3:72: sites[0].tls.client_auth.subject_header: X-Forwarded-For "
                + "has another meaning (expected: a header of its own, such as X-Client-Subject)");
        assertThat(p.get(3)).startsWith("test.yaml:6:24: sites[1].tls.client_auth.ca: missing");
        assertThat(p.get(4)).startsWith("test.yaml:6:41: sites[1].tls.client_auth.verify: unknown key");
    }

    @Test
    void missingCaFileIsAnError() {
        assertThat(problems(dir,
                "sites: [{hosts: [a.test], tls: {client_auth: {ca: nope.pem}}, routes: [{respond: a}]}]"))
                .singleElement().asString().contains("sites[0].tls.client_auth.ca: ").contains("does not exist");
    }
}
