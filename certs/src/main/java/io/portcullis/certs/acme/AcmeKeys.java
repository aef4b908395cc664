package io.portcullis.certs.acme;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;

import io.portcullis.config.AcmeConfig;
import io.portcullis.tls.PemException;
import io.portcullis.tls.PemFiles;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Key pairs for accounts and certificates, made with the JDK's providers (the keys go on to Netty and JSSE, which
 * want JDK key classes) and kept as PEM with the private key (PKCS#8) and the public key (SPKI) side by side.
 */
final class AcmeKeys {
    private AcmeKeys() {
    }

    static KeyPair generate(AcmeConfig.KeyType type) {
        try {
            if (type == AcmeConfig.KeyType.RSA_2048) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make " + type + " keys", e);
        }
    }

    static String toPem(KeyPair keys) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
            w.writeObject(new PemObject("PUBLIC KEY", keys.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static KeyPair fromPem(String pem, String source) throws PemException {
        PrivateKey priv = PemFiles.parsePrivateKey(pem, source);
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof SubjectPublicKeyInfo spki) {
                    PublicKey pub = new JcaPEMKeyConverter().getPublicKey(spki);
                    if (!PemFiles.matches(priv, pub)) {
                        throw new PemException(source + ": the public key does not belong to the private key");
                    }
                    return new KeyPair(pub, priv);
                }
            }
        } catch (IOException e) {
            throw new PemException(source + ": " + e.getMessage(), e);
        }
        throw new PemException(source + ": no public key found");
    }
}
