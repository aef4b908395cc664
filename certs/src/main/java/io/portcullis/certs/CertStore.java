package io.portcullis.certs;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import io.portcullis.certs.acme.AcmeCertificates;
import io.portcullis.certs.storage.Storages;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.PublicNames;
import io.portcullis.config.SiteConfig;
import io.portcullis.config.SiteTlsConfig;
import io.portcullis.tls.CertifiedKey;
import io.portcullis.tls.LocalCa;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every site's certificates and the TLS contexts built from them, looked up by SNI. The whole state is one immutable
 * snapshot behind a volatile field: a handshake reads one consistent snapshot, and {@link #reload} builds a complete
 * new one before swapping it in, so a failed reload leaves the running one untouched and connections in flight keep
 * the context they started with.
 */
public final class CertStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertStore.class);

    private final SslProvider provider;
    private final Mapping<String, SslContext> sniMapping = name -> this.snapshot.table().lookup(name);
    private final Object reloadLock = new Object();
    private volatile Snapshot snapshot;
    private volatile TicketKeyRotator ticketKeys; // null when tickets are off or the provider is JSSE

    /** The state of one config generation. */
    private record Snapshot(PortcullisConfig config, TlsPolicy policy, SniTable table,
                            Map<SiteConfig, List<CertifiedKey>> keys, Map<SiteConfig, SslContext> contexts,
                            Map<SslContext, X509Certificate> leaves) {
    }

    private CertStore(SslProvider provider) {
        this.provider = provider;
    }

    /**
     * Loads the certificate files, issues local-CA leaves into {@code config.dataDir()}, builds one context per site
     * and starts ticket-key rotation. Uses BoringSSL when its native library loads, else JSSE (logged as a warning).
     */
    public static CertStore create(PortcullisConfig config) throws CertStoreException {
        return create(config, detectProvider());
    }

    /** As {@link #create(PortcullisConfig)} with a given provider (tests cover the JSSE fallback with this). */
    static CertStore create(PortcullisConfig config, SslProvider provider) throws CertStoreException {
        CertStore store = new CertStore(provider);
        logLocalCaFallbacks(config);
        store.snapshot = store.build(config);
        store.updateTicketKeys(null, store.snapshot.policy());
        return store;
    }

    /**
     * Builds a complete new snapshot from {@code config} and swaps it in atomically. On failure the current snapshot
     * stays in service and the exception says why.
     */
    public void reload(PortcullisConfig config) throws CertStoreException {
        synchronized (reloadLock) {
            Snapshot next = build(config);
            Snapshot previous = snapshot;
            TicketKeyRotator rotator = ticketKeys;
            if (rotator != null && next.policy().sessionTickets()) {
                // Keys first, then publish: no handshake may reach a new context that has tickets still off.
                next.contexts().forEach((site, ctx) -> rotator.install(siteId(site), ctx));
            }
            snapshot = next;
            updateTicketKeys(previous.policy(), next.policy());
        }
    }

    /**
     * SNI name to context: exact host, then one-label wildcard, then the default site's; {@code null} and unknown
     * names get the default site's context. Always reads the current snapshot. For {@code new SniHandler(...)}.
     */
    public Mapping<String, SslContext> sniMapping() {
        return sniMapping;
    }

    /** Whether the site's certificate comes from the local CA (HSTS is off by default for those). */
    public boolean usesLocalCa(SiteConfig site) {
        return site.tls() == null || site.tls().source() == SiteTlsConfig.Source.INTERNAL;
    }

    private static boolean isAcme(SiteConfig site) {
        return site.tls() != null && site.tls().source() == SiteTlsConfig.Source.ACME;
    }

    /**
     * Says once per site, at start, which sites get a local-CA certificate because of their names, and why, so nobody
     * wonders why a site did not get a public one. Sites that chose {@code tls: internal} for public names are not
     * mentioned: that was asked for.
     */
    private static void logLocalCaFallbacks(PortcullisConfig config) {
        for (SiteConfig site : config.sites()) {
            if (site.tls() != null && site.tls().source() == SiteTlsConfig.Source.INTERNAL) {
                String why = PublicNames.whyLocalCa(site.hosts());
                if (why != null) {
                    LOG.info("site {}: local-CA certificate, not ACME, because {}: no public CA can certify it",
                            site.hosts(), why);
                }
            }
        }
    }

    /** {@code BoringSSL} (or {@code OpenSSL} for a non-BoringSSL native library) or {@code JDK}. */
    public String provider() {
        if (provider == SslProvider.JDK) {
            return "JDK";
        }
        return OpenSsl.versionString() != null && OpenSsl.versionString().contains("BoringSSL") ? "BoringSSL"
                : "OpenSSL";
    }

    /**
     * The PEM file of the local CA root, for users to install and tests to trust. It exists once any site has used
     * the local CA (in this or an earlier run).
     */
    public Path localCaRoot() {
        return LocalCa.rootPemPath(caDirectory(snapshot.config()));
    }

    /**
     * The chain served for {@code site} with keys of {@code keyAlgorithm} ({@code EC} or {@code RSA}), leaf first;
     * empty when the site has no certificate of that type.
     *
     * @throws IllegalArgumentException for a site that is not in the current config
     */
    public List<X509Certificate> chain(SiteConfig site, String keyAlgorithm) {
        List<CertifiedKey> keys = snapshot.keys().get(site);
        if (keys == null) {
            throw new IllegalArgumentException("not a site of the current config: " + site.hosts());
        }
        return keys.stream().filter(k -> k.keyAlgorithm().equalsIgnoreCase(keyAlgorithm)).findFirst()
                .map(CertifiedKey::chain).orElse(List.of());
    }

    /** The leaf of the preferred certificate a context serves (for stapling), or null for a foreign context. */
    public X509Certificate leafOf(SslContext context) {
        return snapshot.leaves().get(context);
    }

    /** The preferred chain of every site, leaf first (for OCSP: the issuer is the second). */
    public List<List<X509Certificate>> servedChains() {
        Snapshot s = snapshot;
        List<List<X509Certificate>> out = new java.util.ArrayList<>();
        s.keys().values().forEach(keys -> {
            if (!keys.isEmpty()) {
                out.add(keys.get(0).chain());
            }
        });
        return out;
    }

    /** Every certificate in service, site by site in config order (one entry per key type). */
    public List<ServedCertificate> inventory() {
        Snapshot s = snapshot;
        List<ServedCertificate> out = new java.util.ArrayList<>();
        for (SiteConfig site : s.config().sites()) {
            SiteTlsConfig.Source source = site.tls() == null ? SiteTlsConfig.Source.INTERNAL : site.tls().source();
            for (CertifiedKey k : s.keys().getOrDefault(site, List.of())) {
                out.add(new ServedCertificate(site.hosts(), source, k.leaf()));
            }
        }
        return out;

    }

    /**
     * The keys and chains served for {@code site} (EC first when both), for TLS stacks that build their own contexts,
     * e.g. QUIC. Empty for a site that is not in the current config.
     */
    public List<CertifiedKey> keys(SiteConfig site) {
        List<CertifiedKey> keys = snapshot.keys().get(site);
        return keys == null ? List.of() : keys;
    }

    /** The resolved TLS policy in service. */
    public TlsPolicy policy() {
        return snapshot.policy();
    }

    @Override
    public void close() {
        synchronized (reloadLock) {
            TicketKeyRotator rotator = ticketKeys;
            ticketKeys = null;
            if (rotator != null) {
                rotator.close();
            }
        }
        // Contexts are the finalizer-managed kind (SslProvider.OPENSSL, not OPENSSL_REFCNT) on purpose: a context
        // replaced by a reload may still serve open connections, so nobody can know when to release it by hand.
    }

    /** Package-private for tests: a site's session-ticket key names, newest first; empty when off. */
    List<byte[]> ticketKeyNames(SiteConfig site) {
        TicketKeyRotator rotator = ticketKeys;
        return rotator == null ? List.of() : rotator.keyNames(siteId(site));
    }

    /** Package-private for tests: rotates the ticket keys now. */
    void rotateTicketKeys() {
        TicketKeyRotator rotator = ticketKeys;
        if (rotator != null) {
            rotator.rotate();
        }
    }

    private Snapshot build(PortcullisConfig config) throws CertStoreException {
        if (config.sites().isEmpty()) {
            throw new CertStoreException("no sites configured: nothing to serve a certificate for");
        }
        TlsPolicy policy = TlsPolicy.from(config.tls());
        LocalLeafStore localLeaves = null;
        if (config.sites().stream().anyMatch(s -> usesLocalCa(s) || isAcme(s))) {
            try {
                LocalCa ca = LocalCa.open(caDirectory(config));
                localLeaves = new LocalLeafStore(ca, config.dataDir().resolve("certs").resolve("local"));
            } catch (IOException e) {
                throw new CertStoreException("local CA: " + e.getMessage(), e);
            }
        }

        AcmeCertificates acme = config.acme() == null ? null
                : new AcmeCertificates(Storages.forConfig(config), config.acme().directory());
        ServerContextFactory factory = new ServerContextFactory(provider, policy);
        Map<SiteConfig, List<CertifiedKey>> keys = new LinkedHashMap<>();
        Map<SiteConfig, SslContext> contexts = new LinkedHashMap<>();
        Map<SslContext, X509Certificate> leaves = new java.util.IdentityHashMap<>();
        SniTable.Builder table = SniTable.builder();
        for (SiteConfig site : config.sites()) {
            List<CertifiedKey> siteKeys = SiteCertificates.load(site, localLeaves, acme);
            SslContext ctx;
            try {
                ctx = factory.build(siteKeys, site.tls() == null ? null : site.tls().clientAuth());
            } catch (SSLException | RuntimeException e) {
                throw new CertStoreException("site " + site.hosts() + ": cannot build the TLS context: "
                        + e.getMessage(), e);
            }
            keys.put(site, siteKeys);
            contexts.put(site, ctx);
            leaves.put(ctx, siteKeys.get(0).leaf());
            site.hosts().forEach(host -> table.add(host, ctx));
        }
        table.defaultContext(contexts.get(config.defaultSite()));
        return new Snapshot(config, policy, table.build(), Map.copyOf(keys), contexts, leaves);
    }

    /** Starts, restarts or stops rotation when the ticket settings change; called with the new snapshot live. */
    private void updateTicketKeys(TlsPolicy previous, TlsPolicy next) {
        boolean wanted = next.sessionTickets() && provider != SslProvider.JDK;
        boolean periodChanged = previous != null && !previous.ticketKeyRotation().equals(next.ticketKeyRotation());
        TicketKeyRotator current = ticketKeys;
        if (current != null && (!wanted || periodChanged)) {
            current.close();
            ticketKeys = null;
            current = null;
        }
        if (wanted && current == null) {
            ticketKeys = new TicketKeyRotator(this::currentContextsBySite, next.ticketKeyRotation());
        }
    }

    private Map<String, SslContext> currentContextsBySite() {
        Map<String, SslContext> bySite = new LinkedHashMap<>();
        snapshot.contexts().forEach((site, ctx) -> bySite.put(siteId(site), ctx));
        return bySite;
    }

    /** Names a site across reloads (a SiteConfig changes with any route edit; its host list rarely does). */
    private static String siteId(SiteConfig site) {
        return String.join(",", site.hosts()) + (site.isDefault() ? ";default" : "");
    }

    private static Path caDirectory(PortcullisConfig config) {
        return config.dataDir().resolve("ca");
    }

    private static SslProvider detectProvider() {
        if (OpenSsl.isAvailable()) {
            LOG.info("TLS provider: {}", OpenSsl.versionString());
            return SslProvider.OPENSSL;
        }
        LOG.warn("TLS provider: JDK (slower, no per-context groups or ticket-key control), because BoringSSL "
                + "could not be loaded: {}", String.valueOf(OpenSsl.unavailabilityCause()));
        return SslProvider.JDK;
    }
}
