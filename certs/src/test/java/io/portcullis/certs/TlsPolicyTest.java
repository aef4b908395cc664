package io.portcullis.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.portcullis.config.TlsPolicyConfig;
import org.junit.jupiter.api.Test;

class TlsPolicyTest {
    @Test
    void defaultsAreMozillaIntermediateForBoringSsl() throws Exception {
        TlsPolicy p = TlsPolicy.from(TestConfigs.defaultPolicy());

        assertThat(p.protocolNames()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(p.openSslCipherNames()).containsExactly("ECDHE-ECDSA-AES128-GCM-SHA256",
                "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
                "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305", "TLS_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
        assertThat(p.boringSslGroupList()).isEqualTo("X25519:P-256:P-384");
        assertThat(p.sessionTickets()).isTrue();
    }

    @Test
    void keepsTheConfiguredOrderAndTranslatesNames() throws Exception {
        TlsPolicy p = TlsPolicy.from(new TlsPolicyConfig("TLSv1.3",
                List.of("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                List.of("P-384", "X25519"), false, Duration.ofHours(1), Set.of()));

        assertThat(p.protocolNames()).containsExactly("TLSv1.3");
        assertThat(p.openSslCipherNames()).startsWith("ECDHE-RSA-CHACHA20-POLY1305",
                "ECDHE-ECDSA-AES256-GCM-SHA384");
        assertThat(p.jdkCipherNames()).endsWith("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        assertThat(p.boringSslGroupList()).isEqualTo("P-384:X25519");
    }

    @Test
    void legacyNeedsItsOptIn() throws Exception {
        assertThatThrownBy(() -> TlsPolicy.from(new TlsPolicyConfig("TLSv1.1", List.of(), List.of(), true,
                Duration.ofHours(1), Set.of()))).hasMessageContaining("insecureLegacy: [TLSv1.1]");
        assertThatThrownBy(() -> TlsPolicy.from(new TlsPolicyConfig("TLSv1.2",
                List.of("TLS_RSA_WITH_AES_128_CBC_SHA"), List.of(), true, Duration.ofHours(1), Set.of())))
                .hasMessageContaining("insecureLegacy: [TLS_RSA_WITH_AES_128_CBC_SHA]");
        assertThatThrownBy(() -> TlsPolicy.from(new TlsPolicyConfig("TLSv1.2", List.of("TLS_NOPE"), List.of(),
                true, Duration.ofHours(1), Set.of()))).hasMessageContaining("unknown cipher suite 'TLS_NOPE'");

        TlsPolicy p = TlsPolicy.from(new TlsPolicyConfig("TLSv1", List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), List.of(), true, Duration.ofHours(1),
                Set.of("TLSv1", "TLSv1.1", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")));
        assertThat(p.protocolNames()).containsExactly("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
        assertThat(p.openSslCipherNames()).contains("ECDHE-RSA-AES128-SHA");
    }
}
