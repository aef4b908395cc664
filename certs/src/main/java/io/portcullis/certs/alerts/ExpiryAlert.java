package io.portcullis.certs.alerts;

import java.time.Instant;
import java.util.List;

import io.portcullis.config.SiteTlsConfig;

/**
 * One certificate crossing one expiry threshold.
 *
 * @param hosts     the site's host names
 * @param notAfter  when the certificate expires
 * @param daysLeft  whole days left (negative once expired)
 * @param threshold the threshold crossed, in days; 0 when it has expired
 * @param source    files or ACME
 * @param reason    why Portcullis cannot renew it
 * @param serialHex the certificate's serial number in hex
 */
public record ExpiryAlert(List<String> hosts, Instant notAfter, long daysLeft, int threshold,
                          SiteTlsConfig.Source source, String reason, String serialHex) {
    public ExpiryAlert {
        hosts = List.copyOf(hosts);
    }

    /** The webhook body: {@code host, hosts, not_after, days_left, threshold_days, source, reason, serial}. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"host\":").append(quote(hosts.get(0))).append(",\"hosts\":[");
        for (int i = 0; i < hosts.size(); i++) {
            b.append(i == 0 ? "" : ",").append(quote(hosts.get(i)));
        }
        return b.append("],\"not_after\":").append(quote(notAfter.toString()))
                .append(",\"days_left\":").append(daysLeft)
                .append(",\"threshold_days\":").append(threshold)
                .append(",\"source\":").append(quote(source.name().toLowerCase(java.util.Locale.ROOT)))
                .append(",\"reason\":").append(quote(reason))
                .append(",\"serial\":").append(quote(serialHex))
                .append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
