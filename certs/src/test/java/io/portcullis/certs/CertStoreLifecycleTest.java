package io.portcullis.certs;

import static io.portcullis.certs.TestConfigs.config;
import static io.portcullis.certs.TestConfigs.defaultPolicy;
import static io.portcullis.certs.TestConfigs.internalSite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.portcullis.config.CertificateFiles;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.config.TlsPolicyConfig;
import io.portcullis.tls.PemFiles;
import io.portcullis.tls.SubjectNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertStoreLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void localLeavesAreStoredPrivatelyAndReusedOnRestart() throws Exception {
        SiteConfig site = internalSite(true);  // no hosts: localhost, 127.0.0.1, ::1
        PortcullisConfig cfg = config(dir, defaultPolicy(), site);

        java.security.cert.X509Certificate first;
        try (CertStore store = CertStore.create(cfg)) {
            first = store.chain(site, "EC").get(0);
            assertThat(SubjectNames.of(first)).containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
            assertThat(store.localCaRoot()).isEqualTo(dir.resolve("ca/root.pem"));
            assertThat(first.getIssuerX500Principal().getName()).contains("Intermediate");
        }
        try (CertStore again = CertStore.create(cfg)) {
            assertThat(again.chain(site, "EC").get(0)).isEqualTo(first);
        }
        try (var files = Files.list(dir.resolve("certs/local"))) {
            for (Path f : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void ticketKeysRotateKeepingThePreviousTwo() throws Exception {
        SiteConfig site = internalSite(true, "tickets.test");
        PortcullisConfig cfg = config(dir, new TlsPolicyConfig("TLSv1.2", List.of(), List.of(), true,
                Duration.ofHours(1), Set.of()), site);
        try (CertStore store = CertStore.create(cfg)) {
            List<byte[]> initial = store.ticketKeyNames(site);
            assertThat(initial).hasSize(1);
            store.rotateTicketKeys();
            store.rotateTicketKeys();
            store.rotateTicketKeys();
            List<byte[]> now = store.ticketKeyNames(site);
            assertThat(now).hasSize(3);
            assertThat(now.stream().noneMatch(n -> java.util.Arrays.equals(n, initial.get(0)))).isTrue();
            store.rotateTicketKeys();
            List<byte[]> later = store.ticketKeyNames(site);
            assertThat(later.get(1)).isEqualTo(now.get(0));
            assertThat(later.get(2)).isEqualTo(now.get(1));
        }
    }

    @Test
    void ticketKeysRotateOnTheirOwnSchedule() throws Exception {
        SiteConfig site = internalSite(true, "tickets.test");
        PortcullisConfig cfg = config(dir, new TlsPolicyConfig("TLSv1.2", List.of(), List.of(), true,
                Duration.ofMillis(50), Set.of()), site);
        try (CertStore store = CertStore.create(cfg)) {
            byte[] first = store.ticketKeyNames(site).get(0);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (java.util.Arrays.equals(store.ticketKeyNames(site).get(0), first) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.ticketKeyNames(site).get(0)).isNotEqualTo(first);
        }
    }

    @Test
    void noTicketKeysWhenTicketsAreOff() throws Exception {
        SiteConfig site = internalSite(true, "tickets.test");
        PortcullisConfig cfg = config(dir, new TlsPolicyConfig("TLSv1.2", List.of(), List.of(), false,
                Duration.ofHours(1), Set.of()), site);
        try (CertStore store = CertStore.create(cfg)) {
            assertThat(store.ticketKeyNames(site)).isEmpty();
        }
    }

    @Test
    void reloadSwapsTheMappingAndAFailedReloadKeepsTheOldOne() throws Exception {
        SiteConfig a = internalSite(true, "a.test");
        SiteConfig b = internalSite(true, "b.test");
        try (CertStore store = CertStore.create(config(dir, defaultPolicy(), a));
             TlsTestServer server = new TlsTestServer(store)) {
            var client = TlsTestServer.clientTrusting(List.of(PemFiles.readCertificates(store.localCaRoot()).get(0)));
            assertThat(SubjectNames.of(server.handshake(client, "b.test", null, null).leaf())).containsExactly("a.test");

            store.reload(config(dir, defaultPolicy(), b));
            assertThat(SubjectNames.of(server.handshake(client, "b.test", null, null).leaf())).containsExactly("b.test");
            assertThat(store.ticketKeyNames(b)).hasSize(1);

            SiteConfig broken = TestConfigs.filesSite(List.of(new CertificateFiles(dir.resolve("no.pem"),
                    dir.resolve("no.key"))), "c.test");
            assertThatThrownBy(() -> store.reload(config(dir, defaultPolicy(), b, broken)))
                    .isInstanceOf(CertStoreException.class).hasMessageContaining("no.pem: file not found");
            assertThat(SubjectNames.of(server.handshake(client, "b.test", null, null).leaf())).containsExactly("b.test");
        }
    }
}
