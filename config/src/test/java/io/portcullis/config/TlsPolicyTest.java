package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsPolicyTest {
    private static final String SITES = "sites: [{hosts: [a.test]}]";
    private static final String ALLOWED_CIPHERS = "one of TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "
            + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "
            + "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "
            + "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";

    @TempDir
    Path dir;

    @Test
    void oldVersionIsRejectedWithoutOptIn() {
        assertThat(problems(dir, "tls:", "  min_version: TLSv1.1", SITES)).containsExactly(
                "test.yaml:2:16: tls.min_version: TLSv1.1 is weaker than Mozilla intermediate "
                        + "(expected: TLSv1.2 or TLSv1.3; to allow it anyway, add TLSv1.1 to tls.insecure_legacy)");
    }

    @Test
    void oldVersionIsAcceptedWithOptInAndListedAsWeakening() throws Exception {
        PortcullisConfig c = load(dir, "tls:", "  min_version: TLSv1.1", "  insecure_legacy: [TLSv1.1]", SITES);
        assertThat(c.tls().minVersion()).isEqualTo("TLSv1.1");
        assertThat(c.tls().insecureLegacy()).containsExactly("TLSv1.1");
        assertThat(c.tls().weakenings()).containsExactly("TLSv1.1");
    }

    @Test
    void tlsV1NeedsBothLegacyVersionsNamed() throws Exception {
        assertThat(problems(dir, "tls:", "  min_version: TLSv1", "  insecure_legacy: [TLSv1]", SITES))
                .containsExactly("test.yaml:2:16: tls.min_version: TLSv1 is weaker than Mozilla intermediate "
                        + "(expected: TLSv1.2 or TLSv1.3; to allow it anyway, add TLSv1.1 to tls.insecure_legacy)");
        PortcullisConfig c = load(dir, "tls:", "  min_version: TLSv1", "  insecure_legacy: [TLSv1.1, tlsv1]", SITES);
        assertThat(c.tls().weakenings()).containsExactly("TLSv1", "TLSv1.1");
    }

    @Test
    void unknownVersion() {
        assertThat(problems(dir, "tls: {min_version: SSLv3}", SITES)).containsExactly(
                "test.yaml:1:20: tls.min_version: SSLv3 "
                        + "(expected: TLSv1.2 or TLSv1.3; older versions only with insecure_legacy)");
    }

    @Test
    void weakCipherIsRejectedWithoutOptIn() {
        assertThat(problems(dir,
                "tls:",
                "  ciphers:",
                "    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "    - TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                SITES)).containsExactly(
                "test.yaml:4:7: tls.ciphers[1]: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA is weaker than Mozilla "
                        + "intermediate (expected: " + ALLOWED_CIPHERS + "; to allow it anyway, add it to "
                        + "tls.insecure_legacy)");
    }

    @Test
    void weakCipherIsAcceptedWithOptIn() throws Exception {
        PortcullisConfig c = load(dir,
                "tls:",
                "  ciphers: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_CBC_SHA,"
                        + " TLS_RSA_WITH_3DES_EDE_CBC_SHA]",
                "  groups: [X25519, ffdhe2048]",
                "  insecure_legacy: [TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA, ffdhe2048]",
                SITES);
        assertThat(c.tls().ciphers()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertThat(c.tls().weakenings()).containsExactly("TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "ffdhe2048");
    }

    @Test
    void unusedOptInsAreRejected() {
        assertThat(problems(dir,
                "tls:",
                "  min_version: TLSv1.1",
                "  ciphers: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]",
                "  insecure_legacy:",
                "    - TLSv1.1",
                "    - TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "    - TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                "    - X25519",
                "    - TLSv1",
                SITES)).containsExactly(
                "test.yaml:7:7: tls.insecure_legacy[2]: TLS_RSA_WITH_3DES_EDE_CBC_SHA is not used by this config "
                        + "(expected: only names of weaker versions, suites or groups this config enables; remove it)",
                "test.yaml:8:7: tls.insecure_legacy[3]: X25519 is not used by this config "
                        + "(expected: only names of weaker versions, suites or groups this config enables; remove it)",
                "test.yaml:9:7: tls.insecure_legacy[4]: TLSv1 is not used by this config "
                        + "(expected: only names of weaker versions, suites or groups this config enables; remove it)");
    }

    @Test
    void optInForACipherIsUnusedWithTls13Only() {
        assertThat(problems(dir,
                "tls: {min_version: TLSv1.3, ciphers: [TLS_RSA_WITH_AES_128_CBC_SHA],"
                        + " insecure_legacy: [TLS_RSA_WITH_AES_128_CBC_SHA]}",
                SITES)).containsExactly(
                "test.yaml:1:88: tls.insecure_legacy[0]: TLS_RSA_WITH_AES_128_CBC_SHA is not used by this config "
                        + "(expected: only names of weaker versions, suites or groups this config enables; remove it)");
    }

    @Test
    void cipherNamesMustBeIanaTls12Names() {
        assertThat(problems(dir,
                "tls:",
                "  ciphers: [ECDHE-RSA-AES128-GCM-SHA256, AES128-SHA, TLS_AES_128_GCM_SHA256, TLS_RSA_WITH_NULL_SHA,"
                        + " TLS_DH_anon_WITH_AES_128_CBC_SHA, TLS_RSA_EXPORT_WITH_RC4_40_MD5]",
                "  insecure_legacy: [TLS_RSA_WITH_NULL_SHA]",
                SITES)).containsExactly(
                "test.yaml:2:13: tls.ciphers[0]: ECDHE-RSA-AES128-GCM-SHA256 is not an IANA cipher suite name "
                        + "(expected: the IANA name TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)",
                "test.yaml:2:42: tls.ciphers[1]: AES128-SHA is not an IANA cipher suite name "
                        + "(expected: an IANA name like TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)",
                "test.yaml:2:54: tls.ciphers[2]: TLS_AES_128_GCM_SHA256 is a TLS 1.3 suite, which is always on "
                        + "(expected: TLS 1.2 suites only)",
                "test.yaml:2:78: tls.ciphers[3]: TLS_RSA_WITH_NULL_SHA does not encrypt "
                        + "(expected: a suite with encryption and authentication; this one cannot be allowed)",
                "test.yaml:2:101: tls.ciphers[4]: TLS_DH_anon_WITH_AES_128_CBC_SHA does not authenticate the server "
                        + "(expected: a suite with encryption and authentication; this one cannot be allowed)",
                "test.yaml:2:135: tls.ciphers[5]: TLS_RSA_EXPORT_WITH_RC4_40_MD5 is export grade "
                        + "(expected: a suite with encryption and authentication; this one cannot be allowed)");
    }

    @Test
    void groups() throws Exception {
        PortcullisConfig c = load(dir, "tls: {groups: [x25519, X448, prime256v1, secp384r1, P-521]}", SITES);
        assertThat(c.tls().groups()).containsExactly("X25519", "X448", "P-256", "P-384", "P-521");
        assertThat(c.tls().weakenings()).isEmpty();

        assertThat(problems(dir, "tls: {groups: [X25519, ffdhe2048, brainpool, X25519]}", SITES)).containsExactly(
                "test.yaml:1:24: tls.groups[1]: ffdhe2048 is weaker than Mozilla intermediate (expected: one of "
                        + "X25519, X448, P-256, P-384, P-521; to allow it anyway, add ffdhe2048 to tls.insecure_legacy)",
                "test.yaml:1:35: tls.groups[2]: brainpool is not a known group (expected: one of X25519, X448, "
                        + "P-256, P-384, P-521; or, with insecure_legacy, one of ffdhe2048, ffdhe3072, ffdhe4096, "
                        + "ffdhe6144, ffdhe8192, P-224)",
                "test.yaml:1:46: tls.groups[3]: X25519 is listed twice (expected: each group once)");
    }

    @Test
    void emptyListsAndBadOptInNames() {
        assertThat(problems(dir, "tls: {ciphers: [], groups: [], insecure_legacy: [RC4]}", SITES)).containsExactly(
                "test.yaml:1:16: tls.ciphers: an empty list "
                        + "(expected: at least one TLS 1.2 cipher suite, or min_version TLSv1.3)",
                "test.yaml:1:28: tls.groups: an empty list (expected: at least one group: one of X25519, X448, P-256, "
                        + "P-384, P-521)",
                "test.yaml:1:50: tls.insecure_legacy[0]: RC4 (expected: TLSv1, TLSv1.1, an IANA cipher suite name "
                        + "like TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA or a group name like ffdhe2048)");
    }

    @Test
    void sessionTicketsAndRotation() throws Exception {
        PortcullisConfig c = load(dir, "tls: {session_tickets: false, ticket_key_rotation: 1d}", SITES);
        assertThat(c.tls().sessionTickets()).isFalse();
        assertThat(c.tls().ticketKeyRotation()).isEqualTo(Duration.ofDays(1));
        assertThat(problems(dir, "tls: {ticket_key_rotation: 30d}", SITES)).containsExactly(
                "test.yaml:1:28: tls.ticket_key_rotation: 30d is out of range (expected: from 1m to 7d)");
    }

    @Test
    void weakeningsOfAHandMadePolicy() {
        TlsPolicyConfig p = new TlsPolicyConfig("TLSv1", List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_256_CBC_SHA"), List.of("X25519", "ffdhe3072"), true, Duration.ofHours(1), Set.of());
        assertThat(p.weakenings()).containsExactly("TLSv1", "TLSv1.1", "TLS_RSA_WITH_AES_256_CBC_SHA", "ffdhe3072");
        assertThat(TlsPolicyConfig.defaults().weakenings()).isEmpty();
    }
}
