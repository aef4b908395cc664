package io.portcullis.tls;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A certificate authority of this machine, kept in one directory, for names no public CA will certify
 * ({@code localhost}, IP addresses, intranet names). Like Caddy's: an ECDSA P-256 root (10 years) signs an
 * intermediate, the intermediate signs short-lived leaves. Users trust the root once ({@code portcullis trust});
 * leaves can come and go.
 *
 * <p>The root and intermediate are made on first use and reused afterwards. Creation holds an exclusive file lock
 * in the directory and writes every file to a temporary name before an atomic rename, so two processes starting at
 * once end up with the same CA and nobody ever reads a half-written key. Instances are immutable and thread-safe.
 */
public final class LocalCa {
    public static final Duration ROOT_VALIDITY = Duration.ofDays(3650);
    public static final Duration INTERMEDIATE_VALIDITY = Duration.ofDays(3 * 365);
    public static final Duration LEAF_VALIDITY = Duration.ofDays(7);
    /** Leaves start an hour in the past so a client whose clock is a little behind still accepts them. */
    public static final Duration BACKDATE = Duration.ofHours(1);
    /** An intermediate this close to expiry is replaced on the next start. */
    private static final Duration INTERMEDIATE_RENEW_BEFORE = Duration.ofDays(90);

    private static final String ROOT_CERT = "root.pem";
    private static final String ROOT_KEY = "root.key";
    private static final String INTERMEDIATE_CERT = "intermediate.pem";
    private static final String INTERMEDIATE_KEY = "intermediate.key";
    private static final String LOCK_FILE = ".lock";
    // A FileLock is held per JVM, not per thread: threads of one process must queue on a monitor first.
    private static final ConcurrentHashMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final X509Certificate root;
    private final X509Certificate intermediate;
    private final PrivateKey intermediateKey;

    private LocalCa(Path dir, X509Certificate root, X509Certificate intermediate, PrivateKey intermediateKey) {
        this.dir = dir;
        this.root = root;
        this.intermediate = intermediate;
        this.intermediateKey = intermediateKey;
    }

    /**
     * Loads the CA kept in {@code dir}, creating the directory (0700), root and intermediate if they do not exist
     * yet and replacing an intermediate that expires within 90 days.
     */
    public static LocalCa open(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        SecureFiles.createPrivateDirectories(abs);
        synchronized (JVM_LOCKS.computeIfAbsent(abs, k -> new Object())) {
            try (FileChannel ch = FileChannel.open(abs.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock(); // released when the channel closes
                try {
                    return loadOrCreate(abs, Instant.now());
                } finally {
                    lock.release();
                }
            } catch (GeneralSecurityException e) {
                throw new IOException("local CA in " + abs + ": " + e.getMessage(), e);
            }
        }
    }

    private static LocalCa loadOrCreate(Path dir, Instant now) throws IOException, GeneralSecurityException {
        X509Certificate root;
        PrivateKey rootKey;
        if (Files.exists(dir.resolve(ROOT_CERT)) && Files.exists(dir.resolve(ROOT_KEY))) {
            CertifiedKey loaded = PemFiles.readCertifiedKey(dir.resolve(ROOT_CERT), dir.resolve(ROOT_KEY));
            root = loaded.leaf();
            rootKey = loaded.privateKey();
        } else {
            KeyPair keys = CertificateMinter.newP256KeyPair();
            String name = "Portcullis Local CA " + randomSuffix() + " Root";
            root = CertificateMinter.selfSignedRoot(keys, name, now.minus(BACKDATE), now.plus(ROOT_VALIDITY));
            rootKey = keys.getPrivate();
            // Key before certificate: a certificate on disk always has its key next to it.
            PemFiles.writePrivateKey(dir.resolve(ROOT_KEY), rootKey);
            PemFiles.writeCertificates(dir.resolve(ROOT_CERT), List.of(root));
            // A new root invalidates any intermediate left from an older one.
            Files.deleteIfExists(dir.resolve(INTERMEDIATE_CERT));
        }

        Path interCert = dir.resolve(INTERMEDIATE_CERT);
        Path interKey = dir.resolve(INTERMEDIATE_KEY);
        if (Files.exists(interCert) && Files.exists(interKey)) {
            CertifiedKey loaded = PemFiles.readCertifiedKey(interCert, interKey);
            X509Certificate inter = loaded.leaf();
            if (signedBy(inter, root) && inter.getNotAfter().toInstant().isAfter(now.plus(INTERMEDIATE_RENEW_BEFORE))) {
                return new LocalCa(dir, root, inter, loaded.privateKey());
            }
        }
        KeyPair keys = CertificateMinter.newP256KeyPair();
        String name = commonName(root).replaceFirst(" Root$", "") + " Intermediate";
        Instant notAfter = now.plus(INTERMEDIATE_VALIDITY);
        if (notAfter.isAfter(root.getNotAfter().toInstant())) {
            notAfter = root.getNotAfter().toInstant();
        }
        X509Certificate inter = CertificateMinter.intermediate(keys, name, root, rootKey, now.minus(BACKDATE),
                notAfter);
        PemFiles.writePrivateKey(interKey, keys.getPrivate());
        PemFiles.writeCertificates(interCert, List.of(inter));
        return new LocalCa(dir, root, inter, keys.getPrivate());
    }

    /**
     * Issues a TLS server certificate for {@code names} with a fresh P-256 key: DNS names (wildcards too) and IP
     * literals ({@code 127.0.0.1}, {@code ::1}) become the matching SAN type; serverAuth only; valid
     * {@link #LEAF_VALIDITY} from an hour ago. Nothing is written to disk.
     *
     * @return the key and the chain (leaf, intermediate); the root is left out, as clients must have it already
     */
    public CertifiedKey issueLeaf(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("issueLeaf needs at least one name");
        }
        Instant now = Instant.now();
        KeyPair keys = CertificateMinter.newP256KeyPair();
        Instant notAfter = now.plus(LEAF_VALIDITY);
        if (notAfter.isAfter(intermediate.getNotAfter().toInstant())) {
            notAfter = intermediate.getNotAfter().toInstant();
        }
        try {
            X509Certificate leaf = CertificateMinter.serverLeaf(keys.getPublic(), List.copyOf(names), intermediate,
                    intermediateKey, now.minus(BACKDATE), notAfter);
            return new CertifiedKey(keys.getPrivate(), List.of(leaf, intermediate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("issuing a local certificate failed", e);
        }
    }

    /** Whether {@code cert} was signed by this CA's current intermediate (a leaf from an older CA was not). */
    public boolean issued(X509Certificate cert) {
        return signedBy(cert, intermediate);
    }

    public X509Certificate rootCertificate() {
        return root;
    }

    public X509Certificate intermediateCertificate() {
        return intermediate;
    }

    /** The root certificate's PEM file: what a user installs into their trust store. */
    public Path rootPemPath() {
        return dir.resolve(ROOT_CERT);
    }

    /** Where the root would be kept for a CA in {@code dir}, whether or not it exists yet. */
    public static Path rootPemPath(Path dir) {
        return dir.resolve(ROOT_CERT);
    }

    public Path directory() {
        return dir;
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String commonName(X509Certificate cert) {
        for (String rdn : cert.getSubjectX500Principal().getName().split(",")) {
            if (rdn.startsWith("CN=")) {
                return rdn.substring(3);
            }
        }
        return "Portcullis Local CA";
    }

    private static String randomSuffix() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
