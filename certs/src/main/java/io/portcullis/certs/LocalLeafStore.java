package io.portcullis.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.portcullis.tls.CertifiedKey;
import io.portcullis.tls.LocalCa;
import io.portcullis.tls.PemException;
import io.portcullis.tls.PemFiles;
import io.portcullis.tls.SecureFiles;
import io.portcullis.tls.SubjectNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local-CA leaves kept on disk so a restart serves the same certificate (clients that pinned or cached it keep
 * working, and a restart storm does not mint a certificate per start). One file per name set holds key and chain
 * together, mode 0600, replaced atomically: key and certificate can never come from two different issuances even
 * when two processes issue at the same moment.
 */
final class LocalLeafStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLeafStore.class);

    private final LocalCa ca;
    private final Path dir;

    /** @param dir e.g. {@code <dataDir>/certs/local} */
    LocalLeafStore(LocalCa ca, Path dir) {
        this.ca = ca;
        this.dir = dir;
    }

    /**
     * The stored leaf for {@code names} if it is still good (same names, issued by the current CA, less than half
     * of its life used), else a newly issued and stored one.
     */
    CertifiedKey leafFor(List<String> names) throws IOException {
        Path file = fileFor(names);
        CertifiedKey stored = readIfUsable(file, names, Instant.now());
        if (stored != null) {
            return stored;
        }
        CertifiedKey issued = ca.issueLeaf(names);
        SecureFiles.createPrivateDirectories(dir);
        List<Object> pem = new java.util.ArrayList<>();
        pem.add(issued.privateKey());
        pem.addAll(issued.chain());
        SecureFiles.writeAtomically(file, PemFiles.toPem(pem.toArray()), SecureFiles.OWNER_ONLY);
        LOG.info("issued a local-CA certificate for {} (valid until {})", names, issued.leaf().getNotAfter()
                .toInstant());
        return issued;
    }

    Path fileFor(List<String> names) {
        Set<String> normalized = SubjectNames.normalizeAll(names);
        String first = normalized.iterator().next().replaceAll("[^a-z0-9.-]", "_").replace("*", "wildcard_");
        if (first.length() > 60) {
            first = first.substring(0, 60);
        }
        return dir.resolve(first + "-" + shortHash(normalized.stream().sorted().toList()) + ".pem");
    }

    private CertifiedKey readIfUsable(Path file, List<String> names, Instant now) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            CertifiedKey k = PemFiles.readCertifiedKey(file, file);
            X509Certificate leaf = k.leaf();
            if (!ca.issued(leaf) || !SubjectNames.of(leaf).equals(SubjectNames.normalizeAll(names))) {
                return null;
            }
            Instant notBefore = leaf.getNotBefore().toInstant();
            Instant notAfter = leaf.getNotAfter().toInstant();
            Instant halfLife = notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
            return now.isBefore(halfLife) ? k : null;
        } catch (PemException e) {
            LOG.warn("replacing unusable local certificate {}: {}", file, e.getMessage());
            return null;
        }
    }

    private static String shortHash(List<String> names) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", names).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
