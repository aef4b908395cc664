package io.portcullis.certs.acme;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.portcullis.certs.storage.Locker;
import io.portcullis.certs.storage.Storage;
import io.portcullis.certs.storage.Storages;
import io.portcullis.config.AcmeConfig;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.config.SiteTlsConfig;
import io.portcullis.tls.CertifiedKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets and renews the certificate of every {@code tls: acme} site: checks them all at start and then every
 * {@code acme.check_interval}; issues what is missing and renews what is due (see {@link RenewalPolicy}); after a
 * failure logs the host and the CA's problem and backs off, while the certificate in service keeps serving. A new
 * certificate is saved to storage and then {@code onIssued} runs, which rebuilds the cert store from it: handshakes
 * from then on get the new one, connections already open keep theirs. One thread; every CA call happens on it.
 *
 * <p>Before talking to the CA for a name it takes the storage lock for that name and reads storage again, so of
 * several instances sharing storage only one orders, and the others pick up its certificate.
 */
public final class AcmeRenewalScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeRenewalScheduler.class);
    private static final Duration LOCK_TTL = Duration.ofMinutes(10);
    private static final Duration LOCK_WAIT = Duration.ofMinutes(2);
    /** ARI windows change rarely; without a Retry-After from the CA, ask again after this long. */
    private static final Duration ARI_REFRESH = Duration.ofHours(6);

    private final Supplier<PortcullisConfig> config;
    private final AcmeChallenges challenges;
    private final Runnable onIssued;
    private final Consumer<OrderOutcome> outcomes;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("portcullis-acme", true));
    private final Map<String, SiteState> states = new ConcurrentHashMap<>();
    /** Serials the CA's OCSP responder called revoked: due for renewal whatever their age, until replaced. */
    private final java.util.Set<java.math.BigInteger> revoked = ConcurrentHashMap.newKeySet();
    private AcmeClient client;
    private AcmeConfig clientConfig;
    private volatile boolean closed;

    /** Mutable per-site state, touched only on the scheduler thread; read for status snapshots. */
    private static final class SiteState {
        volatile List<String> names;
        volatile int failures;
        volatile Instant nextAttempt;
        volatile String lastError;
        volatile Instant renewAt;
        volatile AcmeClient.ChallengeType lastFailedChallenge;
        volatile AcmeClient.RenewalWindow ari;
        volatile Instant ariNextFetch;
        volatile java.math.BigInteger ariSerial;
    }

    /** @param outcomes told how every attempt to get a certificate ended (for metrics); runs on the scheduler thread */
    public AcmeRenewalScheduler(Supplier<PortcullisConfig> config, AcmeChallenges challenges, Runnable onIssued,
                                Consumer<OrderOutcome> outcomes) {
        this(config, challenges, onIssued, outcomes, Clock.systemUTC());
    }

    AcmeRenewalScheduler(Supplier<PortcullisConfig> config, AcmeChallenges challenges, Runnable onIssued,
                         Consumer<OrderOutcome> outcomes, Clock clock) {
        this.config = config;
        this.challenges = challenges;
        this.onIssued = onIssued;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** Runs the first check now and schedules the following ones. */
    public void start() {
        executor.execute(this::checkAndReschedule);
    }

    private void checkAndReschedule() {
        try {
            checkAll();
        } catch (RuntimeException | Error e) {
            LOG.error("ACME renewal check failed unexpectedly; trying again at the next check", e);
        } finally {
            AcmeConfig acme = config.get().acme();
            Duration interval = acme == null ? AcmeConfig.DEFAULT_CHECK_INTERVAL : acme.checkInterval();
            if (!closed) {
                executor.schedule(this::checkAndReschedule, interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Renews the certificate of the site that has {@code host} now, whether due or not, through the scheduler's
     * thread. Completes with true when a new certificate was installed, exceptionally with the failure otherwise.
     */
    public CompletableFuture<Boolean> renew(String host) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                PortcullisConfig c = config.get();
                SiteConfig site = acmeSites(c).stream().filter(s -> s.hosts().contains(host)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(host + " is not a host of a tls: acme site"));
                boolean issued = check(c.acme(), site.hosts(), true);
                if (issued) {
                    onIssued.run();
                    result.complete(true);
                } else {
                    SiteState s = states.get(key(site.hosts()));
                    result.completeExceptionally(new IllegalStateException(s == null || s.lastError == null
                            ? "renewal of " + host + " did not happen" : s.lastError));
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * The certificate {@code leaf} of the site that has {@code host} is revoked: renews it now like {@link #renew},
     * and should that fail, the regular checks keep treating it as due (with the usual backoff) until it is replaced.
     */
    public CompletableFuture<Boolean> replaceRevoked(String host, X509Certificate leaf) {
        revoked.add(leaf.getSerialNumber());
        return renew(host);
    }

    /** A snapshot of every managed site's renewal state. */
    public List<RenewalStatus> status() {
        List<RenewalStatus> out = new ArrayList<>();
        for (SiteState s : states.values()) {
            out.add(new RenewalStatus(s.names, s.renewAt, s.failures == 0 ? null : s.nextAttempt, s.failures,
                    s.lastError));
        }
        return out;
    }

    void checkAll() {
        PortcullisConfig c = config.get();
        if (c.acme() == null) {
            return;
        }
        boolean issued = false;
        for (SiteConfig site : acmeSites(c)) {
            issued |= check(c.acme(), site.hosts(), false);
        }
        if (issued) {
            onIssued.run();
        }
    }

    private static List<SiteConfig> acmeSites(PortcullisConfig c) {
        return c.sites().stream().filter(s -> s.tls() != null && s.tls().source() == SiteTlsConfig.Source.ACME)
                .toList();
    }

    /** @return whether a new certificate is in storage for {@code names} */
    private boolean check(AcmeConfig acme, List<String> names, boolean force) {
        SiteState state = states.computeIfAbsent(key(names), k -> new SiteState());
        state.names = names;
        Instant now = clock.instant();
        if (!force && state.nextAttempt != null && now.isBefore(state.nextAttempt)) {
            return false;
        }
        AcmeClient acmeClient = client(acme);
        AcmeCertificates store = certificates(acme);
        Optional<CertifiedKey> stored;
        try {
            stored = store.load(names);
        } catch (IOException e) {
            fail(state, names, new AcmeFailure("reading storage: " + e.getMessage(), null, e), now);
            return false;
        }
        if (!force && stored.isPresent() && !isDue(acme, acmeClient, state, stored.get().leaf(), now)) {
            return false;
        }
        Storage storage = store.storage();
        if (!(storage instanceof Locker locker)) {
            throw new IllegalStateException("storage " + storage + " has no locker");
        }
        String lockName = AcmeCertificates.lockName(names);
        try (Locker.Lock lock = locker.lock(lockName, LOCK_TTL, LOCK_WAIT)) {
            // Another instance sharing the storage may have renewed while we waited for the lock.
            Optional<CertifiedKey> again = store.load(names);
            if (!force && again.isPresent() && !sameLeaf(again, stored)
                    && !isDue(acme, acmeClient, state, again.get().leaf(), now)) {
                LOG.info("ACME: another instance renewed {}; using its certificate", names);
                succeed(state);
                return true;
            }
            X509Certificate replaces = again.map(CertifiedKey::leaf).orElse(null);
            AcmeFailure last = null;
            List<String> messages = new ArrayList<>();
            for (AcmeClient.ChallengeType type : acmeClient.allowedChallenges(preferred(state))) {
                try {
                    CertifiedKey issued = acmeClient.issue(names, type, replaces);
                    store.save(names, issued);
                    LOG.info("ACME: {} certificate for {} from {} via {} (serial {}, valid until {})",
                            replaces == null ? "issued" : "renewed", names, acme.directory(),
                            type.name().toLowerCase().replace('_', '-'), issued.leaf().getSerialNumber().toString(16),
                            issued.leaf().getNotAfter().toInstant());
                    succeed(state);
                    state.renewAt = RenewalPolicy.renewAt(issued.leaf(), acme.renewalRatio(), null);
                    outcomes.accept(replaces == null ? OrderOutcome.ISSUED : OrderOutcome.RENEWED);
                    return true;
                } catch (AcmeFailure f) {
                    last = f;
                    if (!messages.contains(f.getMessage())) { // a CA that cannot be reached fails both alike
                        messages.add(f.getMessage());
                    }
                    state.lastFailedChallenge = type;
                    if (f.retryAfter().isPresent()) {
                        break; // rate limited: another challenge type would be refused the same way
                    }
                }
            }
            fail(state, names, last == null ? new AcmeFailure("no challenge type enabled in acme.challenges", null,
                    null) : new AcmeFailure(String.join("; then ", messages), last.retryAfter().orElse(null), last),
                    now);
            return false;
        } catch (IOException e) {
            fail(state, names, new AcmeFailure(e instanceof java.nio.file.FileSystemException fse
                    ? AcmeFailure.storage(fse) : "storage: " + e.getMessage(), null, e), now);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean isDue(AcmeConfig acme, AcmeClient acmeClient, SiteState state, X509Certificate leaf, Instant now) {
        if (revoked.contains(leaf.getSerialNumber())) {
            return true;
        }
        if (state.ariNextFetch == null || now.isAfter(state.ariNextFetch)
                || !leaf.getSerialNumber().equals(state.ariSerial)) {
            try {
                state.ari = acmeClient.renewalWindow(leaf).orElse(null);
                state.ariNextFetch = state.ari != null && state.ari.retryAfter() != null ? state.ari.retryAfter()
                        : now.plus(ARI_REFRESH);
            } catch (AcmeFailure f) {
                // ARI is advice: without it the lifetime rule decides. Ask again at the next check.
                LOG.debug("ACME renewal info unavailable: {}", f.getMessage());
                state.ari = null;
                state.ariNextFetch = now.plus(acme.checkInterval());
            }
            state.ariSerial = leaf.getSerialNumber();
        }
        state.renewAt = RenewalPolicy.renewAt(leaf, acme.renewalRatio(), state.ari);
        return !now.isBefore(state.renewAt);
    }

    private static boolean sameLeaf(Optional<CertifiedKey> a, Optional<CertifiedKey> b) {
        return a.isPresent() && b.isPresent() && a.get().leaf().equals(b.get().leaf());
    }

    /** After a failed type, start the next attempt with the other one: port 80 or 443 may be the blocked one. */
    private static AcmeClient.ChallengeType preferred(SiteState state) {
        if (state.lastFailedChallenge == null) {
            return null;
        }
        return state.lastFailedChallenge == AcmeClient.ChallengeType.HTTP_01
                ? AcmeClient.ChallengeType.TLS_ALPN_01 : AcmeClient.ChallengeType.HTTP_01;
    }

    private static void succeed(SiteState state) {
        state.failures = 0;
        state.nextAttempt = null;
        state.lastError = null;
    }

    private void fail(SiteState state, List<String> names, AcmeFailure f, Instant now) {
        state.failures++;
        AcmeConfig acme = config.get().acme();
        Duration first = acme == null ? AcmeConfig.DEFAULT_RETRY_BASE : acme.retryBase();
        state.nextAttempt = RenewalPolicy.nextAttempt(now, first, state.failures, f.retryAfter().orElse(null));
        state.lastError = f.getMessage();
        outcomes.accept(OrderOutcome.FAILED);
        LOG.warn("ACME: no certificate for {} this time: {}; the certificate in service keeps serving; attempt {} "
                        + "failed, next at {}", names, f.getMessage(), state.failures, state.nextAttempt);
    }

    private AcmeClient client(AcmeConfig acme) {
        if (client == null || !acme.equals(clientConfig)) {
            client = new AcmeClient(acme, certificates(acme), challenges);
            clientConfig = acme;
        }
        return client;
    }

    private AcmeCertificates certificates(AcmeConfig acme) {
        return new AcmeCertificates(Storages.forConfig(config.get()), acme.directory());
    }

    private static String key(List<String> names) {
        return AcmeCertificates.siteId(names);
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }
}
