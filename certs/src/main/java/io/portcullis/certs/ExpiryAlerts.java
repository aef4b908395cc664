package io.portcullis.certs;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.portcullis.config.SiteTlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns in the log when a certificate Portcullis cannot renew by itself is running out: once at 30, once at 14 and
 * once at 7 days left (and once more when it has expired). Certificate files are renewed by whoever wrote them;
 * ACME certificates count only while their renewal keeps failing (the scheduler's own log says why). Local-CA leaves
 * renew themselves long before these thresholds and are never reported.
 */
public final class ExpiryAlerts {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryAlerts.class);
    static final int[] THRESHOLDS_DAYS = {30, 14, 7, 0};

    /** Serial to the lowest threshold already reported for it. */
    private final Map<BigInteger, Integer> reported = new HashMap<>();

    /**
     * @param failingAcme host lists of ACME sites whose last renewal attempt failed
     * @return the warnings logged by this call (for tests)
     */
    public synchronized List<String> check(List<ServedCertificate> served, Set<List<String>> failingAcme,
                                           Instant now) {
        List<String> warnings = new java.util.ArrayList<>();
        Set<BigInteger> current = new HashSet<>();
        for (ServedCertificate c : served) {
            BigInteger serial = c.leaf().getSerialNumber();
            current.add(serial);
            boolean unmanaged = c.source() == SiteTlsConfig.Source.FILES
                    || (c.source() == SiteTlsConfig.Source.ACME && failingAcme.contains(c.hosts()));
            if (!unmanaged) {
                continue;
            }
            Instant notAfter = c.leaf().getNotAfter().toInstant();
            long daysLeft = Duration.between(now, notAfter).toDays();
            boolean expired = !now.isBefore(notAfter);
            int threshold = expired ? 0 : -1;
            for (int t : THRESHOLDS_DAYS) {
                if (!expired && t > 0 && daysLeft <= t) {
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
        }
        reported.keySet().retainAll(current);
        return warnings;
    }
}
