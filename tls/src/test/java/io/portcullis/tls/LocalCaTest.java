package io.portcullis.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCaTest {
    @TempDir
    Path dir;

    @Test
    void createsRootAndIntermediateOnceAndReusesThem() throws Exception {
        Path caDir = dir.resolve("data/ca");
        LocalCa first = LocalCa.open(caDir);
        LocalCa second = LocalCa.open(caDir);

        assertThat(second.rootCertificate()).isEqualTo(first.rootCertificate());
        assertThat(second.intermediateCertificate()).isEqualTo(first.intermediateCertificate());
        assertThat(first.rootCertificate().getSubjectX500Principal().getName())
                .matches("CN=Portcullis Local CA [0-9A-F]{8} Root,O=Portcullis");
        assertThat(first.rootPemPath()).isEqualTo(caDir.toAbsolutePath().resolve("root.pem"));
        assertThat(PemFiles.readCertificates(first.rootPemPath())).containsExactly(first.rootCertificate());
        assertThat(mode(caDir)).isEqualTo("rwx------");
        assertThat(mode(caDir.resolve("root.key"))).isEqualTo("rw-------");
        assertThat(mode(caDir.resolve("intermediate.key"))).isEqualTo("rw-------");
        Duration rootLife = Duration.between(first.rootCertificate().getNotBefore().toInstant(),
                first.rootCertificate().getNotAfter().toInstant());
        assertThat(rootLife).isGreaterThanOrEqualTo(Duration.ofDays(3650));
    }

    @Test
    void concurrentOpensAgreeOnOneCa() throws Exception {
        Path caDir = dir.resolve("race");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<LocalCa>> futures = new ArrayList<>();
            Callable<LocalCa> open = () -> LocalCa.open(caDir);
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(open));
            }
            X509Certificate root = futures.get(0).get().rootCertificate();
            for (Future<LocalCa> f : futures) {
                assertThat(f.get().rootCertificate()).isEqualTo(root);
            }
        } finally {
            pool.shutdownNow();
        }
        try (var files = Files.list(caDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void leafVerifiesAgainstTheRootWithPkix() throws Exception {
        LocalCa ca = LocalCa.open(dir.resolve("ca"));
        Instant before = Instant.now();

        CertifiedKey leaf = ca.issueLeaf(List.of("localhost", "*.dev.test", "127.0.0.1", "::1"));

        assertThat(leaf.chain()).hasSize(2);
        assertThat(leaf.chain().get(1)).isEqualTo(ca.intermediateCertificate());
        assertThat(leaf.keyAlgorithm()).isEqualTo("EC");
        X509Certificate cert = leaf.leaf();
        assertThat(SubjectNames.of(cert)).containsExactly("localhost", "*.dev.test", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getNotBefore().toInstant()).isBefore(before.minus(Duration.ofMinutes(59)));
        // seven days from now, plus the hour of backdating before now
        assertThat(cert.getNotAfter().toInstant()).isBetween(before.plus(Duration.ofDays(7)).minusSeconds(1),
                Instant.now().plus(Duration.ofDays(7)).plusSeconds(1));
        assertThat(ca.issued(cert)).isTrue();

        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.rootCertificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(leaf.chain()), params);
    }

    @Test
    void leafOfAnotherCaIsNotOurs() throws Exception {
        LocalCa a = LocalCa.open(dir.resolve("a"));
        LocalCa b = LocalCa.open(dir.resolve("b"));
        assertThat(a.issued(b.issueLeaf(List.of("x.test")).leaf())).isFalse();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
