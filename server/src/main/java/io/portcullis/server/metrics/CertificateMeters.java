package io.portcullis.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.portcullis.certs.ServedCertificate;
import io.portcullis.certs.acme.OrderOutcome;
import io.portcullis.config.SiteTlsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The certificate meters: {@code portcullis_certificate_days_left{host,source}} for every host of every certificate in
 * service (the soonest expiry when a host has several, say ECDSA and RSA), read from the cert store at each scrape so
 * reloads, renewals and file swaps show at once; and {@code portcullis_acme_orders_total{outcome}}.
 */
public final class CertificateMeters {
    private final MultiGauge daysLeft;
    private final Supplier<List<ServedCertificate>> served;
    private final Map<OrderOutcome, Counter> orders = new EnumMap<>(OrderOutcome.class);

    public CertificateMeters(Metrics metrics, Supplier<List<ServedCertificate>> served) {
        this.served = served;
        this.daysLeft = MultiGauge.builder("portcullis.certificate.days.left")
                .description("Days until the certificate served for a host expires (fractional; negative once expired)")
                .register(metrics.registry());
        for (OrderOutcome o : OrderOutcome.values()) {
            orders.put(o, Counter.builder("portcullis.acme.orders")
                    .description("Attempts to get a certificate from the ACME CA, by how they ended")
                    .tag("outcome", o.label()).register(metrics.registry()));
        }
        metrics.beforeScrape(this::refresh);
    }

    public void order(OrderOutcome outcome) {
        orders.get(outcome).increment();
    }

    private record HostSource(String host, String source) {
    }

    /** Rows for the certificates in service now; hosts and sources no longer served disappear. */
    void refresh() {
        Map<HostSource, Instant> soonest = new LinkedHashMap<>();
        for (ServedCertificate c : served.get()) {
            Instant notAfter = c.leaf().getNotAfter().toInstant();
            // A site without host names answers any name (the embedded localhost default): "*" stands for it.
            for (String host : c.hosts().isEmpty() ? List.of("*") : c.hosts()) {
                soonest.merge(new HostSource(host, source(c.source())), notAfter, (x, y) -> x.isBefore(y) ? x : y);
            }
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        soonest.forEach((key, notAfter) -> rows.add(MultiGauge.Row.of(Tags.of("host", key.host(), "source",
                key.source()), () -> Duration.between(Instant.now(), notAfter).toSeconds() / 86_400.0)));
        daysLeft.register(rows, true);
    }

    /** The same names as {@code portcullis cert list} and the admin endpoint use. */
    public static String source(SiteTlsConfig.Source s) {
        return switch (s) {
            case ACME -> "acme";
            case INTERNAL -> "local-ca";
            case FILES -> "files";
        };
    }
}
