package io.portcullis.certs.acme;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.portcullis.certs.storage.Storage;
import io.portcullis.tls.CertifiedKey;
import io.portcullis.tls.PemException;
import io.portcullis.tls.PemFiles;
import io.portcullis.tls.SubjectNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACME-issued certificates and the account key of one CA, in {@link Storage}:
 * {@code acme/<ca>/account.pem} and {@code acme/<ca>/certificates/<first-name>-<hash>/certificate.pem}. A certificate
 * blob holds the private key and the chain together, so a reader can never pair a key with a chain from another
 * issuance. The CA is part of the key because switching from staging to production must not serve staging
 * certificates.
 */
public final class AcmeCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeCertificates.class);

    private final Storage storage;
    private final String caId;

    public AcmeCertificates(Storage storage, URI directory) {
        this.storage = storage;
        this.caId = caId(directory);
    }

    public Storage storage() {
        return storage;
    }

    /** {@code acme-v02.api.letsencrypt.org-directory}: the directory URL as one key segment. */
    static String caId(URI directory) {
        String s = directory.getHost() + (directory.getPort() > 0 ? "-" + directory.getPort() : "")
                + directory.getPath();
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-").replaceAll("-+$", "");
    }

    String accountKey() {
        return "acme/" + caId + "/account.pem";
    }

    /** The storage key of the certificate for {@code names} (also used to name its lock). */
    public String certificateKey(List<String> names) {
        return "acme/" + caId + "/certificates/" + siteId(names) + "/certificate.pem";
    }

    /** The storage lock an instance holds while it orders the certificate for {@code names}. */
    public static String lockName(List<String> names) {
        return "acme-" + siteId(names);
    }

    static String siteId(List<String> names) {
        List<String> sorted = new ArrayList<>(SubjectNames.normalizeAll(names));
        String first = SubjectNames.normalizeAll(names).iterator().next().replaceAll("[^a-z0-9.-]", "_");
        if (first.length() > 60) {
            first = first.substring(0, 60);
        }
        sorted.sort(null);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8));
            return first + "-" + HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored certificate for {@code names}; empty when there is none or it is unreadable (logged). */
    public Optional<CertifiedKey> load(List<String> names) throws IOException {
        String key = certificateKey(names);
        Optional<byte[]> blob = storage.get(key);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        String pem = new String(blob.get(), StandardCharsets.US_ASCII);
        try {
            CertifiedKey k = new CertifiedKey(PemFiles.parsePrivateKey(pem, key), PemFiles.parseCertificates(pem, key));
            if (!PemFiles.matches(k.privateKey(), k.leaf().getPublicKey())) {
                LOG.warn("storage {}: key and certificate do not match; ignoring it", key);
                return Optional.empty();
            }
            return Optional.of(k);
        } catch (PemException e) {
            LOG.warn("storage {}: unreadable certificate, ignoring it: {}", key, e.getMessage());
            return Optional.empty();
        }
    }

    public void save(List<String> names, CertifiedKey issued) throws IOException {
        List<Object> pem = new ArrayList<>();
        pem.add(issued.privateKey());
        pem.addAll(issued.chain());
        storage.put(certificateKey(names), PemFiles.toPem(pem.toArray()).getBytes(StandardCharsets.US_ASCII));
    }

    public boolean delete(List<String> names) throws IOException {
        return storage.delete(certificateKey(names));
    }
}
