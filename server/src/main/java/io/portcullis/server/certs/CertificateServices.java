package io.portcullis.server.certs;

import io.netty.handler.ssl.SslContext;
import io.portcullis.certs.CertStore;
import io.portcullis.certs.ExpiryAlerts;
import io.portcullis.certs.ServedCertificate;
import io.portcullis.certs.alerts.ExpiryAlert;
import io.portcullis.certs.alerts.ExpiryWebhook;
import io.portcullis.certs.acme.AcmeChallenges;
import io.portcullis.certs.acme.AcmeRenewalScheduler;
import io.portcullis.certs.acme.OrderOutcome;
import io.portcullis.certs.acme.RenewalStatus;
import io.portcullis.certs.files.CertificateFileWatcher;
import io.portcullis.certs.ocsp.MustStaple;
import io.portcullis.certs.ocsp.OcspStapler;
import io.portcullis.certs.storage.Storages;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.SiteTlsConfig;
import io.portcullis.server.admin.AdminServer;
import io.portcullis.server.metrics.CertificateMeters;
import io.portcullis.server.metrics.Metrics;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that keeps a running server's certificates current, around its {@link CertStore}: ACME issuing and
 * renewal with the challenge answers the listeners serve, certificate-file watching, OCSP stapling, expiry warnings
 * and the loopback admin endpoint. The server creates it, hands its challenge answers and staples to the listeners,
 * starts it once they are bound and closes it on stop.
 */
public final class CertificateServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateServices.class);
    /** How often certificate files named in the config are checked for changes (one hash of a few KB each). */
    private static final Duration CERT_FILE_POLL = Duration.ofSeconds(2);
    /** How often certificates nobody renews are checked against the 30/14/7-day expiry warnings. */
    private static final Duration EXPIRY_CHECK = Duration.ofHours(1);
    /**
     * The longest wait between looks at the OCSP staples; each is fetched again at half its validity, and the next
     * look comes when the first one falls due (short-lived responses and revocations are seen in time).
     */
    private static final Duration OCSP_CHECK = Duration.ofMinutes(5);
    /** The shortest wait, so a responder with very short-lived answers is not asked in a loop. */
    private static final Duration OCSP_MIN_WAIT = Duration.ofSeconds(1);

    private final CertStore certs;
    private final AuditSink audit;
    private final Supplier<PortcullisConfig> config;
    private final BooleanSupplier reloadCertificates;
    private final AcmeChallenges challenges;
    private final AcmeRenewalScheduler acme;
    private final OcspStapler ocsp;
    private final ExpiryWebhook webhook = new ExpiryWebhook();
    private final ExpiryAlerts expiryAlerts = new ExpiryAlerts(this::postExpiryAlert);
    private volatile AdminServer admin;
    private volatile ScheduledExecutorService background;
    /** The planned OCSP look and when it runs; guarded by this. */
    private java.util.concurrent.ScheduledFuture<?> nextOcsp;
    private Instant nextOcspAt;
    /** Set by {@link #start}; orders happen only after it. */
    private volatile CertificateMeters meters;
    /** Serials already checked for must-staple without an OCSP URL, so a file reload warns only about new ones. */
    private final Set<java.math.BigInteger> mustStapleWarned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Where certificate events go: the server's audit log and security-event counter. */
    @FunctionalInterface
    public interface AuditSink {
        /** @param fieldPairs name, value, name, value, ... */
        void event(String event, String... fieldPairs);
    }

    /**
     * @param config             the config in service
     * @param reloadCertificates rebuilds the cert store from the config in service; returns whether it worked
     * @param audit              receives {@code certificate_revoked}
     */
    public CertificateServices(CertStore certs, Supplier<PortcullisConfig> config, BooleanSupplier reloadCertificates,
                               AuditSink audit) {
        this.certs = certs;
        this.audit = audit;
        this.config = config;
        this.reloadCertificates = reloadCertificates;
        this.challenges = new AcmeChallenges(() -> Storages.forConfig(config.get()));
        this.acme = new AcmeRenewalScheduler(config, challenges, this::reloadAfterIssuance, this::countOrder);
        this.ocsp = new OcspStapler(() -> Storages.forConfig(config.get()), this::renewRevoked);
    }

    /** ACME challenge answers for the http (HTTP-01) and https (TLS-ALPN-01) listeners. */
    public AcmeChallenges challenges() {
        return challenges;
    }

    /** The OCSP response to staple for a context of the cert store, or null; for the https listener. */
    public Function<SslContext, byte[]> staples() {
        return ctx -> {
            X509Certificate leaf = certs.leafOf(ctx);
            return leaf == null ? null : ocsp.stapleFor(leaf);
        };
    }

    /** Starts everything; call once the listeners are bound (the CA's validation requests need them). */
    public void start(ScheduledExecutorService background, Metrics metrics) {
        this.background = background;
        this.meters = new CertificateMeters(metrics, certs::inventory);
        warnUnstapleable();
        acme.start();
        admin = AdminServer.start(config.get().admin(), certs, acme, metrics);
        CertificateFileWatcher files = new CertificateFileWatcher(config, () -> {
            boolean ok = reloadCertificates.getAsBoolean();
            if (ok) {
                warnUnstapleable(); // a replaced file may be must-staple too
            }
            return ok;
        });
        background.execute(this::refreshOcsp); // reschedules itself for when the next staple falls due
        background.scheduleWithFixedDelay(this::checkExpiry, 1, EXPIRY_CHECK.toSeconds(), TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(files::poll, CERT_FILE_POLL.toMillis(), CERT_FILE_POLL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public AcmeRenewalScheduler acme() {
        return acme;
    }

    /** The admin endpoint's address, or null when it is off or its port was taken. */
    public InetSocketAddress adminAddress() {
        AdminServer a = admin;
        return a == null ? null : a.address();
    }

    /**
     * A newly issued certificate gets its OCSP staple fetched right away rather than at the next periodic check, as a
     * must-staple one is refused by clients until it has one.
     */
    private boolean reloadAfterIssuance() {
        boolean ok = reloadCertificates.getAsBoolean();
        ScheduledExecutorService b = background;
        if (ok && b != null) {
            try {
                b.execute(this::refreshOcsp);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // shutting down: nothing to staple for
            }
        }
        return ok;
    }

    private void countOrder(OrderOutcome outcome) {
        CertificateMeters m = meters;
        if (m != null) {
            m.order(outcome);
        }
    }

    private void refreshOcsp() {
        Instant due;
        try {
            due = ocsp.refresh(certs.servedChains());
        } catch (RuntimeException e) {
            LOG.warn("OCSP refresh failed", e);
            due = Instant.now().plus(OCSP_CHECK);
        }
        scheduleOcsp(due);
    }

    /** Plans the next OCSP look for {@code due} (within the bounds above), unless an earlier one is already planned. */
    private synchronized void scheduleOcsp(Instant due) {
        Instant now = Instant.now();
        Instant at = due.isAfter(now.plus(OCSP_CHECK)) ? now.plus(OCSP_CHECK)
                : due.isBefore(now.plus(OCSP_MIN_WAIT)) ? now.plus(OCSP_MIN_WAIT) : due;
        // The planned look counts only while the executor still has it ahead: the look that is running now was the
        // plan, and judged by the wall clock it can seem still ahead (its delay was cut to whole milliseconds and the
        // executor keeps nanoTime). Keeping that "earlier plan" ended the refreshes for good: no staple, and a
        // revocation never seen.
        if (nextOcsp != null && nextOcsp.getDelay(TimeUnit.NANOSECONDS) > 0 && !nextOcspAt.isAfter(at)) {
            return;
        }
        if (nextOcsp != null) {
            nextOcsp.cancel(false);
        }
        try {
            nextOcsp = background.schedule(this::refreshOcsp, Duration.between(now, at).toMillis(),
                    TimeUnit.MILLISECONDS);
            nextOcspAt = at;
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // shutting down
        }
    }

    /**
     * The responder says a served certificate is revoked: an audit event ({@code certificate_revoked}, also counted in
     * {@code portcullis_security_events_total}) for every site serving it, and an ACME one is replaced at once (the
     * revoked one serves until then: there is nothing better). Files and local-CA certificates are the operator's to
     * replace; the event says so.
     */
    private void renewRevoked(X509Certificate leaf) {
        for (ServedCertificate c : certs.inventory()) {
            if (!c.leaf().equals(leaf)) {
                continue;
            }
            boolean acmeSite = c.source() == SiteTlsConfig.Source.ACME && !c.hosts().isEmpty();
            String host = c.hosts().isEmpty() ? "*" : c.hosts().get(0);
            audit.event("certificate_revoked", "host", host, "hosts", String.join(",", c.hosts()),
                    "serial", leaf.getSerialNumber().toString(16), "source", CertificateMeters.source(c.source()),
                    "action", acmeSite ? "renewing" : "none: replace the certificate");
            if (acmeSite) {
                LOG.error("certificate for {} (serial {}) is revoked: ordering a new one now", c.hosts(),
                        leaf.getSerialNumber().toString(16));
                acme.replaceRevoked(host, leaf).whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.error("replacing the revoked certificate for {} failed: {}; retried with backoff",
                                c.hosts(), e.getMessage());
                    }
                });
            } else {
                LOG.error("certificate for {} (serial {}) is revoked and Portcullis cannot renew it ({}): replace it",
                        c.hosts(), leaf.getSerialNumber().toString(16), CertificateMeters.source(c.source()));
            }
        }
    }

    private void checkExpiry() {
        try {
            Map<List<String>, String> failing = acme.status().stream().filter(s -> s.failures() > 0)
                    .collect(Collectors.toMap(RenewalStatus::names,
                            s -> s.lastError() == null ? "unknown error" : s.lastError(), (a, b) -> a));
            expiryAlerts.check(certs.inventory(), failing, Instant.now(), config.get().expiryAlerts().days());
        } catch (RuntimeException e) {
            LOG.warn("expiry check failed", e);
        }
    }

    /** Sent only when a webhook is configured; the log warning is already written. */
    private void postExpiryAlert(ExpiryAlert alert) {
        java.net.URI url = config.get().expiryAlerts().webhook();
        if (url != null) {
            webhook.send(url, alert);
        }
    }

    /** Must-staple certificates from files are the operator's to fix; ACME ones get a responder from their CA. */
    private void warnUnstapleable() {
        try {
            List<ServedCertificate> served = certs.inventory();
            served.forEach(c -> {
                if (mustStapleWarned.add(c.leaf().getSerialNumber())) {
                    for (String w : MustStaple.unstapleable(List.of(c))) {
                        LOG.warn(w);
                    }
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("must-staple check failed", e);
        }
    }

    @Override
    public void close() {
        webhook.close();
        acme.close();
        AdminServer a = admin;
        if (a != null) {
            a.close();
        }
    }
}
