package io.portcullis.certs;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.portcullis.certs.alerts.ExpiryAlert;
import io.portcullis.config.ExpiryAlertsConfig;
import io.portcullis.config.SiteTlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns in the log when a certificate Portcullis cannot renew by itself is running out: once at each threshold
 * (30, 14 and 7 days left unless configured) and once more when it has expired; each warning also goes to a sink (the
 * expiry webhook). Certificate files are renewed by whoever wrote them; ACME certificates count only while their
 * renewal keeps failing (the scheduler's own log says why). Local-CA leaves renew themselves long before these
 * thresholds and are never reported.
 */
public final class ExpiryAlerts {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryAlerts.class);
    private static final String FILES_REASON = "certificate files are renewed by whoever wrote them: replace the "
            + "certificate files";

    /** Serial to the lowest threshold already reported for it. */
    private final Map<BigInteger, Integer> reported = new HashMap<>();
    private final Consumer<ExpiryAlert> sink;

    /** Log warnings only. */
    public ExpiryAlerts() {
        this(a -> { });
    }

    /** @param sink gets every alert after it is logged; must not block (the webhook sends in the background) */
    public ExpiryAlerts(Consumer<ExpiryAlert> sink) {
        this.sink = sink;
    }

    /** With the default thresholds and no ACME error text. */
    public synchronized List<String> check(List<ServedCertificate> served, Set<List<String>> failingAcme,
                                           Instant now) {
        Map<List<String>, String> failing = failingAcme.stream().collect(Collectors.toMap(h -> h,
                h -> "see the earlier ACME log lines"));
        return check(served, failing, now, ExpiryAlertsConfig.DEFAULT_DAYS);
    }

    /**
     * @param failingAcme host lists of ACME sites whose last renewal attempt failed, with that attempt's error
     * @param days        thresholds in days left, descending
     * @return the warnings logged by this call (for tests)
     */
    public synchronized List<String> check(List<ServedCertificate> served, Map<List<String>, String> failingAcme,
                                           Instant now, List<Integer> days) {
        List<String> warnings = new java.util.ArrayList<>();
        Set<BigInteger> current = new HashSet<>();
        for (ServedCertificate c : served) {
            BigInteger serial = c.leaf().getSerialNumber();
            current.add(serial);
            boolean unmanaged = c.source() == SiteTlsConfig.Source.FILES
                    || (c.source() == SiteTlsConfig.Source.ACME && failingAcme.containsKey(c.hosts()));
            if (!unmanaged) {
                continue;
            }
            Instant notAfter = c.leaf().getNotAfter().toInstant();
            long daysLeft = Duration.between(now, notAfter).toDays();
            boolean expired = !now.isBefore(notAfter);
            int threshold = expired ? 0 : -1;
            for (int t : days) {
                if (!expired && daysLeft <= t) {
                    threshold = t; // descending order: ends at the smallest threshold reached
                }
            }
            if (threshold < 0 || reported.getOrDefault(serial, Integer.MAX_VALUE) <= threshold) {
                continue;
            }
            reported.put(serial, threshold);
            String what = c.source() == SiteTlsConfig.Source.FILES ? "replace the certificate files"
                    : "ACME renewal keeps failing, see the earlier ACME log lines";
            String w = expired
                    ? String.format("certificate for %s EXPIRED at %s (serial %s): %s", c.hosts(), notAfter,
                            serial.toString(16), what)
                    : String.format("certificate for %s expires in %d days, at %s (serial %s): %s", c.hosts(),
                            daysLeft, notAfter, serial.toString(16), what);
            LOG.warn(w);
            warnings.add(w);
            String reason = c.source() == SiteTlsConfig.Source.FILES ? FILES_REASON
                    : "ACME renewal keeps failing: " + failingAcme.get(c.hosts());
            try {
                sink.accept(new ExpiryAlert(c.hosts(), notAfter, daysLeft,
                        threshold, c.source(), reason, serial.toString(16)));
            } catch (RuntimeException e) {
                LOG.warn("expiry alert for {} not passed on: {}", c.hosts(), e.toString());
            }
        }
        reported.keySet().retainAll(current);
        return warnings;
    }
}
