package io.portcullis.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes PEM certificate chains and private keys. Errors name the file and say what is wrong with it,
 * because they end up in front of a user who has to fix the file. Keys are read in every common form: PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}); encrypted keys are
 * refused (a server that restarts unattended has nowhere to get a passphrase from).
 */
public final class PemFiles {
    // The JDK provider, not BouncyCastle's: the keys go on to JSSE/Netty, which expect JDK key classes. BouncyCastle
    // is not registered as a JCA provider anywhere, so it cannot change what JSSE negotiates.
    private static final JcaPEMKeyConverter KEY_CONVERTER = new JcaPEMKeyConverter();

    private PemFiles() {
    }

    /** The certificates in {@code file}, in file order (a fullchain: leaf first). */
    public static List<X509Certificate> readCertificates(Path file) throws PemException {
        return parseCertificates(readText(file), file.toString());
    }

    public static List<X509Certificate> parseCertificates(String pem, String source) throws PemException {
        List<X509Certificate> certs = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(toJdk(holder.getEncoded()));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new PemException(source + ": not a valid PEM certificate file: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new PemException(source + ": no certificate found");
        }
        return certs;
    }

    /** The single private key in {@code file}. */
    public static PrivateKey readPrivateKey(Path file) throws PemException {
        return parsePrivateKey(readText(file), file.toString());
    }

    public static PrivateKey parsePrivateKey(String pem, String source) throws PemException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {            // PKCS#1 RSA, SEC1 EC
                    return KEY_CONVERTER.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {        // PKCS#8
                    return KEY_CONVERTER.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new PemException(source + ": the private key is encrypted; store it unencrypted "
                            + "(readable only by the server's user), e.g. openssl pkey -in " + source + " -out key.pem");
                }
                // Anything else (EC PARAMETERS before a SEC1 key, a stray certificate) is skipped.
            }
        } catch (PemException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PemException(source + ": not a valid PEM private key: " + e.getMessage(), e);
        }
        throw new PemException(source + ": no private key found");
    }

    /**
     * Reads a chain and its key and checks that they belong together, so a mismatch is reported at start with both
     * file names instead of as a handshake failure later.
     */
    public static CertifiedKey readCertifiedKey(Path certFile, Path keyFile) throws PemException {
        List<X509Certificate> chain = readCertificates(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new PemException(keyFile + " does not match the certificate's public key (" + certFile + ")");
        }
        return new CertifiedKey(key, chain);
    }

    /**
     * Whether {@code privateKey} is the other half of {@code publicKey}: proven by signing a random challenge and
     * verifying it, which works the same for RSA, EC and EdDSA without comparing key internals.
     */
    public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String alg = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> privateKey.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) {
                verifier.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** PEM text of certificates, keys (as PKCS#8 {@code PRIVATE KEY}) or anything else JcaPEMWriter knows. */
    public static String toPem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey key) {
                    // JcaPEMWriter would write PKCS#1/SEC1 for a PrivateKey; PKCS#8 is the one form every tool reads.
                    writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()));
                } else {
                    writer.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e);
        }
        return out.toString();
    }

    /** Writes a chain (world-readable, atomically replaced). */
    public static void writeCertificates(Path file, List<X509Certificate> chain) throws IOException {
        SecureFiles.writeAtomically(file, toPem(chain.toArray()), SecureFiles.PUBLIC);
    }

    /** Writes a PKCS#8 private key into a file that is 0600 from the moment it exists. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        SecureFiles.writeAtomically(file, toPem(key), SecureFiles.OWNER_ONLY);
    }

    static X509Certificate toJdk(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private static String readText(Path file) throws PemException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new PemException(file + ": file not found", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new PemException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new PemException(file + ": cannot read: " + e, e);
        }
    }

}
