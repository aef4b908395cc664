package io.portcullis.certs.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.portcullis.config.CertificateFiles;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.config.SiteTlsConfig;
import io.portcullis.tls.CertifiedKey;
import io.portcullis.tls.PemException;
import io.portcullis.tls.PemFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when the certificate and key files named in the config change (a deploy, certbot, an operator) and swaps
 * them in without a restart. Polls: a SHA-256 of both files' bytes per pair, compared with the last one seen, which
 * also catches edits that keep the mtime and works on every file system (WatchService misses changes through
 * symlinked directories, as Kubernetes secrets are mounted). A pair that changed is read and checked (parses, key
 * matches the certificate) before anything is swapped: a broken or mismatched pair is rejected with one log line
 * naming the files and the reason, and the certificate in service keeps serving until the files are fixed.
 */
public final class CertificateFileWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateFileWatcher.class);

    private final Supplier<PortcullisConfig> config;
    private final BooleanSupplier reload;
    /** Last seen digest per pair; pairs first seen get a baseline, not a reload (the config load just read them). */
    private final Map<CertificateFiles, byte[]> seen = new HashMap<>();

    /**
     * @param reload rebuilds the cert store from the current config; returns whether that worked
     */
    public CertificateFileWatcher(Supplier<PortcullisConfig> config, BooleanSupplier reload) {
        this.config = config;
        this.reload = reload;
        poll(); // baseline
    }

    /** One look at every pair; reloads once when any changed pair is good. Not thread-safe: call from one thread. */
    public synchronized void poll() {
        boolean changed = false;
        Set<CertificateFiles> current = new HashSet<>();
        for (SiteConfig site : config.get().sites()) {
            if (site.tls() == null || site.tls().source() != SiteTlsConfig.Source.FILES) {
                continue;
            }
            for (CertificateFiles pair : site.tls().certificates()) {
                current.add(pair);
                byte[] digest = digest(pair);
                byte[] before = seen.put(pair, digest);
                if (before == null || Arrays.equals(before, digest)) {
                    continue;
                }
                try {
                    CertifiedKey k = PemFiles.readCertifiedKey(pair.cert(), pair.key());
                    LOG.info("site {}: certificate files changed ({}, {}); installing serial {} valid until {}",
                            site.hosts(), pair.cert(), pair.key(), k.leaf().getSerialNumber().toString(16),
                            k.leaf().getNotAfter().toInstant());
                    changed = true;
                } catch (PemException e) {
                    LOG.error("site {}: changed certificate files rejected: {}; the previous certificate keeps "
                            + "serving", site.hosts(), e.getMessage());
                }
            }
        }
        seen.keySet().retainAll(current);
        if (changed && !reload.getAsBoolean()) {
            LOG.error("certificate files changed but the reload failed; the previous certificates keep serving");
        }
    }

    private static byte[] digest(CertificateFiles pair) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : new Path[] {pair.cert(), pair.key()}) {
                try {
                    md.update(Files.readAllBytes(p));
                } catch (NoSuchFileException e) {
                    md.update((byte) 0); // a missing file is a state too; reading it fails the check
                }
                md.update((byte) 1);
            }
            return md.digest();
        } catch (IOException e) {
            return new byte[] {2};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
