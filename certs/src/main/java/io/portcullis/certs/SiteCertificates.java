package io.portcullis.certs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.portcullis.certs.acme.AcmeCertificates;
import io.portcullis.config.CertificateFiles;
import io.portcullis.config.SiteConfig;
import io.portcullis.config.SiteTlsConfig;
import io.portcullis.tls.CertifiedKey;
import io.portcullis.tls.PemFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gets each site's certificates, from its files or from the local CA, in serving preference order. */
final class SiteCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(SiteCertificates.class);
    /** What a local-CA site with no host names is issued for: this machine by every name a browser uses. */
    static final List<String> LOCALHOST_NAMES = List.of("localhost", "127.0.0.1", "::1");

    private SiteCertificates() {
    }

    /**
     * @param localLeaves issues local-CA leaves; {@code null} when no site needs one
     * @return ECDSA first, then RSA, then anything else, each group in config order
     */
    static List<CertifiedKey> load(SiteConfig site, LocalLeafStore localLeaves) throws CertStoreException {
        return load(site, localLeaves, null);
    }

    /**
     * @param acme the ACME certificates in storage; {@code null} when the config has no ACME. A {@code tls: acme}
     *             site without one yet gets a local-CA placeholder until the scheduler installs the real one.
     */
    static List<CertifiedKey> load(SiteConfig site, LocalLeafStore localLeaves, AcmeCertificates acme)
            throws CertStoreException {
        SiteTlsConfig tls = site.tls() == null ? SiteTlsConfig.internal() : site.tls();
        List<CertifiedKey> keys = new ArrayList<>();
        if (tls.source() == SiteTlsConfig.Source.ACME) {
            try {
                Optional<CertifiedKey> issued = acme == null ? Optional.empty() : acme.load(site.hosts());
                if (issued.isPresent()) {
                    return List.of(issued.get());
                }
                LOG.info("site {}: no ACME certificate yet; serving a local-CA certificate until it is issued",
                        site.hosts());
                return List.of(localLeaves.leafFor(site.hosts()));
            } catch (IOException | RuntimeException e) {
                throw new CertStoreException("site " + site.hosts() + ": cannot load its ACME certificate: "
                        + e.getMessage(), e);
            }
        }
        if (tls.source() == SiteTlsConfig.Source.INTERNAL) {
            List<String> names = site.hosts().isEmpty() ? LOCALHOST_NAMES : site.hosts();
            try {
                keys.add(localLeaves.leafFor(names));
            } catch (IOException | RuntimeException e) {
                throw new CertStoreException("site " + names + ": cannot get a local-CA certificate: "
                        + e.getMessage(), e);
            }
        } else {
            if (tls.certificates().isEmpty()) {
                throw new CertStoreException("site " + site.hosts() + ": tls source is files but no certificate "
                        + "is configured");
            }
            for (CertificateFiles files : tls.certificates()) {
                try {
                    keys.add(PemFiles.readCertifiedKey(files.cert(), files.key()));
                } catch (IOException e) {
                    throw new CertStoreException(e.getMessage(), e);
                }
            }
        }
        keys.sort(Comparator.comparingInt(SiteCertificates::preference)); // stable: config order within a type
        return List.copyOf(keys);
    }

    private static int preference(CertifiedKey k) {
        return switch (k.keyAlgorithm()) {
            case "EC" -> 0;
            case "RSA" -> 1;
            default -> 2;
        };
    }
}
