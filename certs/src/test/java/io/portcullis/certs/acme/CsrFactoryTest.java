package io.portcullis.certs.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;

import io.portcullis.config.AcmeConfig;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSR of an order, read back by BouncyCastle and by {@code openssl req}. */
class CsrFactoryTest {
    @TempDir
    Path dir;

    @Test
    void mustStapleCsrRequestsTheTlsFeatureAndAllNames() throws Exception {
        KeyPair keys = AcmeKeys.generate(AcmeConfig.KeyType.ECDSA_P256);
        byte[] der = CsrFactory.create(List.of("a.example.com", "b.example.com"), keys, true);
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(
                new JcaPKCS10CertificationRequest(csr).getPublicKey()))).isTrue();
        Extensions ext = Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                .getAttrValues().getObjectAt(0));
        assertThat(ext.getExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24"))
                .getExtnValue().getOctets()).containsExactly(0x30, 0x03, 0x02, 0x01, 0x05);
        assertThat(ext.getExtension(Extension.subjectAlternativeName)).isNotNull();

        Path pem = dir.resolve("csr.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END CERTIFICATE REQUEST-----\n");
        Process p = new ProcessBuilder("openssl", "req", "-in", pem.toString(), "-noout", "-text", "-verify")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(text).isZero();
        assertThat(text).contains("TLS Feature").contains("status_request").contains("DNS:a.example.com")
                .contains("DNS:b.example.com").contains("CN = a.example.com");
    }

    @Test
    void withoutMustStapleThereIsNoTlsFeature() throws Exception {
        KeyPair keys = AcmeKeys.generate(AcmeConfig.KeyType.RSA_2048);
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(
                CsrFactory.create(List.of("a.example.com"), keys, false));
        Extensions ext = Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                .getAttrValues().getObjectAt(0));
        assertThat(ext.getExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24"))).isNull();
    }
}
