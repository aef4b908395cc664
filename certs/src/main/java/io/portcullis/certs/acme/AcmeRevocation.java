package io.portcullis.certs.acme;

import java.io.IOException;
import java.security.cert.X509Certificate;

import io.portcullis.certs.storage.Storages;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.config.SiteTlsConfig;
import io.portcullis.tls.CertifiedKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code portcullis cert revoke HOST}: revokes the stored ACME certificate of the site that has {@code HOST} with the
 * account that ordered it, then removes it from storage, so the renewal scheduler of a running server orders a new one
 * at its next check (until then the revoked one is still served: there is nothing better to serve).
 */
public final class AcmeRevocation {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeRevocation.class);

    private AcmeRevocation() {
    }

    /**
     * @return the revoked certificate
     * @throws IllegalArgumentException when {@code host} is not on an ACME site or has no certificate in storage
     */
    public static X509Certificate revoke(PortcullisConfig config, String host) throws AcmeFailure, IOException {
        return revoke(config, host, true);
    }

    /**
     * Revokes at the CA only and leaves storage alone: what a revocation by the CA itself (an incident, a key
     * compromise reported by someone else) looks like to a running server, which then learns of it through OCSP.
     */
    public static X509Certificate revokeAtCaOnly(PortcullisConfig config, String host) throws AcmeFailure,
            IOException {
        return revoke(config, host, false);
    }

    private static X509Certificate revoke(PortcullisConfig config, String host, boolean removeStored)
            throws AcmeFailure, IOException {
        SiteConfig site = config.sites().stream()
                .filter(s -> s.tls() != null && s.tls().source() == SiteTlsConfig.Source.ACME)
                .filter(s -> s.hosts().contains(host)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(host + " is not a host of a site with an ACME "
                        + "certificate in " + config.sourceName()));
        AcmeCertificates store = new AcmeCertificates(Storages.forConfig(config), config.acme().directory());
        CertifiedKey stored = store.load(site.hosts()).orElseThrow(() -> new IllegalArgumentException(
                "no ACME certificate for " + site.hosts() + " in " + Storages.directory(config)));
        X509Certificate leaf = stored.leaf();
        new AcmeClient(config.acme(), store, new AcmeChallenges()).revoke(leaf);
        if (!removeStored) {
            return leaf;
        }
        store.delete(site.hosts());
        LOG.info("revoked the certificate for {} (serial {}); a running server orders a new one at its next check",
                site.hosts(), leaf.getSerialNumber().toString(16));
        return leaf;
    }
}
