package io.portcullis.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Alerts about certificates Portcullis cannot renew by itself (files, ACME while renewal keeps failing), as they near
 * expiry: always a log warning, and a JSON POST to {@code webhook} when one is set.
 *
 * @param webhook an http(s) URL that receives one POST per certificate and threshold; {@code null}: logs only
 * @param days    the thresholds in days left, descending, each alerted once per certificate (default 30, 14, 7);
 *                an expired certificate is alerted once more on top of these
 */
public record ExpiryAlertsConfig(URI webhook, List<Integer> days) {
    public static final List<Integer> DEFAULT_DAYS = List.of(30, 14, 7);

    public ExpiryAlertsConfig {
        // Descending, so the last threshold a certificate has reached is the one to alert about.
        days = Objects.requireNonNull(days, "days").stream().sorted(java.util.Comparator.reverseOrder()).distinct()
                .toList();
    }

    public static ExpiryAlertsConfig defaults() {
        return new ExpiryAlertsConfig(null, DEFAULT_DAYS);
    }
}
