package io.portcullis.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsOpensslRsaPkcs1KeyAndItsCertificate() throws Exception {
        openssl("genrsa", "-traditional", "-out", "key.pem", "2048");
        assertThat(Files.readString(dir.resolve("key.pem"))).contains("BEGIN RSA PRIVATE KEY");
        openssl("req", "-x509", "-key", "key.pem", "-subj", "/CN=rsa.test", "-days", "2", "-out", "cert.pem");

        CertifiedKey k = PemFiles.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        assertThat(k.keyAlgorithm()).isEqualTo("RSA");
        assertThat(k.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=rsa.test");
    }

    @Test
    void readsOpensslEcSec1KeyWithParametersBlock() throws Exception {
        openssl("ecparam", "-genkey", "-name", "prime256v1", "-out", "key.pem"); // EC PARAMETERS + EC PRIVATE KEY
        assertThat(Files.readString(dir.resolve("key.pem"))).contains("BEGIN EC PARAMETERS", "BEGIN EC PRIVATE KEY");
        openssl("req", "-x509", "-key", "key.pem", "-subj", "/CN=ec.test", "-days", "2", "-out", "cert.pem");

        CertifiedKey k = PemFiles.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        assertThat(k.keyAlgorithm()).isEqualTo("EC");
    }

    @Test
    void writesPkcs8KeysWith0600AndReadsThemBack() throws Exception {
        CertifiedKey issued = testCa().issueLeaf(List.of("round.test"));
        Path key = dir.resolve("out/key.pem");
        Path cert = dir.resolve("out/cert.pem");
        SecureFiles.createPrivateDirectories(key.getParent());

        PemFiles.writePrivateKey(key, issued.privateKey());
        PemFiles.writeCertificates(cert, issued.chain());

        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())))
                .isEqualTo("rwx------");
        PrivateKey read = PemFiles.readPrivateKey(key);
        assertThat(read.getEncoded()).isEqualTo(issued.privateKey().getEncoded());
        List<X509Certificate> chain = PemFiles.readCertificates(cert);
        assertThat(chain).containsExactlyElementsOf(issued.chain());
        // and openssl agrees the key is a valid PKCS#8 key
        openssl("pkey", "-in", "out/key.pem", "-noout");
    }

    @Test
    void rejectsKeyOfAnotherCertificate() throws Exception {
        LocalCa ca = testCa();
        CertifiedKey a = ca.issueLeaf(List.of("a.test"));
        CertifiedKey b = ca.issueLeaf(List.of("b.test"));
        PemFiles.writeCertificates(dir.resolve("cert.pem"), a.chain());
        PemFiles.writePrivateKey(dir.resolve("key.pem"), b.privateKey());

        assertThatThrownBy(() -> PemFiles.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("key.pem")))
                .isInstanceOf(PemException.class)
                .hasMessageContaining("key.pem does not match the certificate's public key");
    }

    @Test
    void explainsEmptyAndMissingFiles() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "not pem at all\n");
        assertThatThrownBy(() -> PemFiles.readCertificates(dir.resolve("cert.pem")))
                .hasMessageEndingWith("cert.pem: no certificate found");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(dir.resolve("cert.pem")))
                .hasMessageEndingWith("cert.pem: no private key found");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(dir.resolve("missing.pem")))
                .hasMessageEndingWith("missing.pem: file not found");
    }

    @Test
    void refusesEncryptedKeys() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass",
                "pass:secret", "-out", "enc.pem");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(dir.resolve("enc.pem")))
                .hasMessageContaining("is encrypted");
    }

    private LocalCa testCa() throws Exception {
        return LocalCa.open(dir.resolve("ca"));
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", cmd, out).isZero();
    }

    @Test
    void corruptBase64IsAPemExceptionNotACrash() {
        String pem = "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PemFiles.parseCertificates(pem, "bad.pem"))
                .isInstanceOf(PemException.class)
                .hasMessageStartingWith("bad.pem: not a valid PEM certificate file");
    }
}
