package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code acme:} block, {@code tls: acme} and the automatic choice between ACME and the local CA. */
class AcmeSectionTest {
    @TempDir
    Path dir;

    @Test
    void withoutAcmeBlockPublicSitesGetLetsEncryptAndInternalOnesTheLocalCa() throws Exception {
        PortcullisConfig c = load(dir,
                "sites:",
                "  - hosts: [example.com]",
                "  - hosts: [localhost, 127.0.0.1]");
        assertThat(c.acme()).isEqualTo(AcmeConfig.defaults());
        assertThat(c.acme().directory()).isEqualTo(AcmeConfig.LETS_ENCRYPT);
        assertThat(c.sites()).extracting(s -> s.tls().source())
                .containsExactly(SiteTlsConfig.Source.ACME, SiteTlsConfig.Source.INTERNAL);
    }

    @Test
    void withOnlyInternalNamesThereIsNoAcmeAtAll() throws Exception {
        PortcullisConfig c = load(dir,
                "sites:",
                "  - hosts: [localhost]",
                "  - hosts: [a.test]");
        assertThat(c.acme()).isNull();
        assertThat(c.sites()).extracting(s -> s.tls().source()).containsOnly(SiteTlsConfig.Source.INTERNAL);
    }

    @Test
    void acmeBlockMakesPublicSitesAcmeAndLeavesInternalNamesOnTheLocalCa() throws Exception {
        PortcullisConfig c = load(dir,
                "acme:",
                "  email: ops@example.com",
                "sites:",
                "  - hosts: [example.com, www.example.com]",
                "  - hosts: [localhost]",
                "  - hosts: [printer.lan]",
                "  - hosts: [10.0.0.1]",
                "  - hosts: [nas.home.arpa, box.internal]",
                "  - hosts: [intranet]",
                "  - hosts: [\"*.example.net\"]",
                "  - hosts: [shop.test, shop.example]",
                "  - hosts: [api.example.com]",
                "    tls: internal");
        assertThat(c.acme().directory()).isEqualTo(AcmeConfig.LETS_ENCRYPT);
        assertThat(c.acme().email()).isEqualTo("ops@example.com");
        assertThat(c.sites()).extracting(s -> s.tls().source()).containsExactly(
                SiteTlsConfig.Source.ACME, SiteTlsConfig.Source.INTERNAL, SiteTlsConfig.Source.INTERNAL,
                SiteTlsConfig.Source.INTERNAL, SiteTlsConfig.Source.INTERNAL, SiteTlsConfig.Source.INTERNAL,
                SiteTlsConfig.Source.INTERNAL, SiteTlsConfig.Source.INTERNAL, SiteTlsConfig.Source.INTERNAL);
        // What the server logs for each local-CA site: the first name that keeps it off ACME.
        assertThat(c.sites()).extracting(s -> PublicNames.whyLocalCa(s.hosts())).containsExactly(
                null, "localhost is this machine", "printer.lan is an internal name (*.lan)",
                "10.0.0.1 is an IP address", "nas.home.arpa is an internal name (*.home.arpa)",
                "intranet is a single-label name",
                "*.example.net is a wildcard (needs DNS-01 validation, which Portcullis does not answer)",
                "shop.test is an internal name (*.test)", null);
    }

    @Test
    void aSiteMixingPublicAndInternalNamesWithoutTlsIsAnErrorAtItsHosts() {
        assertThat(problems(dir,
                "acme:",
                "  email: ops@example.com",
                "sites:",
                "  - hosts: [example.com, www.example.com, localhost]",
                "  - hosts: [example.org, nas.lan]",
                "    tls: internal",
                "  - hosts: [shop.example.net, 192.0.2.7]")).containsExactly(
                "test.yaml:4:12: sites[0].hosts: public names example.com, www.example.com (ACME by default) mixed "
                        + "with localhost is this machine (no public CA can certify it) (expected: only public names "
                        + "or only internal ones in a site without tls: split it into two sites, or set tls: internal "
                        + "or certificate files)",
                "test.yaml:7:12: sites[2].hosts: public name shop.example.net (ACME by default) mixed with "
                        + "192.0.2.7 is an IP address (no public CA can certify it) (expected: only public names or "
                        + "only internal ones in a site without tls: split it into two sites, or set tls: internal "
                        + "or certificate files)");
    }

    @Test
    void everyFieldIsRead() throws Exception {
        Path root = ConfigTesting.write(dir.resolve("pebble.pem"), "-----BEGIN CERTIFICATE-----\n");
        PortcullisConfig c = load(dir,
                "acme:",
                "  directory: https://127.0.0.1:14000/dir",
                "  ca_root: pebble.pem",
                "  key_type: rsa-2048",
                "  challenges: [tls-alpn-01]",
                "  eab_key_id: kid-1",
                "  eab_hmac_key: zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W",
                "  check_interval: 30s",
                "  renewal_ratio: 0.5",
                "  must_staple: true",
                "  retry_base: 5s",
                "sites:",
                "  - hosts: [example.com]",
                "    tls: acme");
        AcmeConfig a = c.acme();
        assertThat(a.directory()).isEqualTo(URI.create("https://127.0.0.1:14000/dir"));
        assertThat(a.caRoot()).isEqualTo(root.toAbsolutePath());
        assertThat(a.keyType()).isEqualTo(AcmeConfig.KeyType.RSA_2048);
        assertThat(a.http01()).isFalse();
        assertThat(a.tlsAlpn01()).isTrue();
        assertThat(a.eabKeyId()).isEqualTo("kid-1");
        assertThat(a.checkInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.renewalRatio()).isEqualTo(0.5);
        assertThat(a.mustStaple()).isTrue();
        assertThat(a.retryBase()).isEqualTo(Duration.ofSeconds(5));
        assertThat(AcmeConfig.defaults().retryBase()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void tlsAcmeWithoutBlockUsesLetsEncryptDefaults() throws Exception {
        PortcullisConfig c = load(dir,
                "sites:",
                "  - hosts: [example.com]",
                "    tls: acme");
        assertThat(c.acme()).isEqualTo(AcmeConfig.defaults());
        assertThat(c.acme().http01()).isTrue();
        assertThat(c.acme().tlsAlpn01()).isTrue();
        assertThat(c.acme().keyType()).isEqualTo(AcmeConfig.KeyType.ECDSA_P256);
        assertThat(c.acme().mustStaple()).isFalse();
    }

    @Test
    void tlsAcmeForNamesNoPublicCaCanCertifyIsAnError() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [example.com, localhost, 192.168.1.2, box.internal, \"*.example.org\"]",
                "    tls: acme")).containsExactly(
                "test.yaml:3:10: sites[0].tls: acme, but localhost is this machine: no public CA can certify it "
                        + "(expected: internal for such names, or only public DNS names in hosts)",
                "test.yaml:3:10: sites[0].tls: acme, but 192.168.1.2 is an IP address: no public CA can certify it "
                        + "(expected: internal for such names, or only public DNS names in hosts)",
                "test.yaml:3:10: sites[0].tls: acme, but box.internal is an internal name (*.internal): no public "
                        + "CA can certify it (expected: internal for such names, or only public DNS names in hosts)",
                "test.yaml:3:10: sites[0].tls: acme, but *.example.org is a wildcard (needs DNS-01 validation, "
                        + "which Portcullis does not answer): no public CA can certify it (expected: internal for "
                        + "such names, or only public DNS names in hosts)");
    }

    @Test
    void badValuesAreLocated() {
        assertThat(problems(dir,
                "acme:",
                "  directory: http://ca.example/dir",
                "  email: nobody",
                "  key_type: dsa",
                "  challenges: [dns-01]",
                "  eab_key_id: kid",
                "  retry_base: 2h",
                "sites:",
                "  - hosts: [example.com]")).containsExactly(
                "test.yaml:2:3: acme.eab_hmac_key: missing (expected: eab_key_id and eab_hmac_key together, as the "
                        + "CA gives them)",
                "test.yaml:2:14: acme.directory: http://ca.example/dir (expected: an https URL of an ACME directory, "
                        + "like https://acme-v02.api.letsencrypt.org/directory)",
                "test.yaml:3:10: acme.email: nobody (expected: an e-mail address)",
                "test.yaml:4:13: acme.key_type: dsa (expected: ecdsa-p256 or rsa-2048)",
                "test.yaml:5:16: acme.challenges[0]: dns-01 (expected: one of http-01, tls-alpn-01 (dns-01 is not "
                        + "supported))",
                "test.yaml:7:15: acme.retry_base: 2h is out of range (expected: from 1s to 1h)");
    }
}
