package io.portcullis.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RegistryTest {
    @Test
    void cipherSuitesResolveByEveryName() {
        assertThat(CipherSuite.fromName("ECDHE-RSA-AES128-GCM-SHA256"))
                .contains(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        assertThat(CipherSuite.fromName("tls_ecdhe_rsa_with_aes_128_gcm_sha256"))
                .contains(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        assertThat(CipherSuite.fromName("SSL_RSA_WITH_3DES_EDE_CBC_SHA"))
                .contains(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA);
        assertThat(CipherSuite.fromCode(0x1301)).contains(CipherSuite.TLS_AES_128_GCM_SHA256);
        assertThat(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.codeHex()).isEqualTo("0xC0,0x2F");
        assertThat(CipherSuite.fromName("NOPE")).isEmpty();
    }

    @Test
    void cipherSuiteClassification() {
        assertThat(CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256.isRecommended()).isTrue();
        assertThat(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA.isRecommended()).isFalse();
        assertThat(CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256.forwardSecrecy()).isFalse();
        assertThat(CipherSuite.TLS_RSA_EXPORT_WITH_RC4_40_MD5.isInsecure()).isTrue();
        assertThat(CipherSuite.TLS_AES_256_GCM_SHA384.isTls13()).isTrue();
        assertThat(CipherSuite.TLS_AES_256_GCM_SHA384.aead()).isTrue();
    }

    @Test
    void opensslNamesAreUnique() {
        Set<String> names = new HashSet<>();
        Arrays.stream(CipherSuite.values()).forEach(s -> assertThat(names.add(s.openSslName())).as(s.name()).isTrue());
    }

    @Test
    void everySuiteOpensslKnowsHasTheSameCodePoint() throws Exception {
        Process p = new ProcessBuilder("openssl", "ciphers", "-stdname", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        int checked = 0;
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[0].startsWith("0x")) {
                continue;
            }
            int code = Integer.parseInt(f[0].substring(2, 4) + f[0].substring(7, 9), 16);
            var suite = CipherSuite.fromName(f[2]);
            if (suite.isPresent()) {
                assertThat(suite.get().code()).as(f[2]).isEqualTo(code);
                assertThat(suite.get().openSslName()).as(f[2]).isEqualTo(f[4]);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
    }

    @Test
    void groupsAndVersions() {
        assertThat(NamedGroup.fromName("prime256v1")).contains(NamedGroup.SECP256R1);
        assertThat(NamedGroup.fromName("x25519")).contains(NamedGroup.X25519);
        assertThat(NamedGroup.fromCode(0x11EC)).contains(NamedGroup.X25519_MLKEM768);
        assertThat(NamedGroup.SECP384R1.openSslName()).isEqualTo("P-384");
        assertThat(ProtocolVersion.fromName("TLSv1.1")).contains(ProtocolVersion.TLS_V1_1);
        assertThat(ProtocolVersion.fromName("TLS 1.0")).contains(ProtocolVersion.TLS_V1_0);
        assertThat(ProtocolVersion.fromName("TLSv1")).contains(ProtocolVersion.TLS_V1_0);
        assertThat(ProtocolVersion.fromWireCode(0x0304)).contains(ProtocolVersion.TLS_V1_3);
        assertThat(ProtocolVersion.TLS_V1_1.isLegacy()).isTrue();
        assertThat(ProtocolVersion.TLS_V1_2.isLegacy()).isFalse();
    }
}
