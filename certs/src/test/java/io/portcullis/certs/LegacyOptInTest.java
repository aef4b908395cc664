package io.portcullis.certs;

import static io.portcullis.certs.TestConfigs.config;
import static io.portcullis.certs.TestConfigs.internalSite;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.portcullis.config.TlsPolicyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An explicit opt-in really reaches BoringSSL: TLS 1.1 with a CBC suite is then served. */
class LegacyOptInTest {
    @TempDir
    Path dir;

    @Test
    void optedInTls11IsServed() throws Exception {
        TlsPolicyConfig legacy = new TlsPolicyConfig("TLSv1.1",
                List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), List.of(),
                true, Duration.ofHours(1), Set.of("TLSv1.1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));
        try (CertStore store = CertStore.create(config(dir, legacy, internalSite(true, "old.test")));
             TlsTestServer server = new TlsTestServer(store)) {
            TlsTestServer.OpensslResult r = server.opensslClient(dir, "-tls1_1", "-cipher",
                    "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0", "-servername", "old.test");
            assertThat(r.output()).as(r.output()).contains("Protocol  : TLSv1.1")
                    .contains("Cipher is ECDHE-ECDSA-AES128-SHA");
        }
    }
}
