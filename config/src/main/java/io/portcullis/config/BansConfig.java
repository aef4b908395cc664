package io.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Built-in fail2ban: rules over security events per client address; an address that sets one off is refused at
 * accept for {@code duration}, doubled on every repeat up to {@code maxDuration}.
 *
 * @param rules       none: bans are off (the default)
 * @param duration    the first ban of an address (default 10m)
 * @param maxDuration the longest ban after repeats (default 1d)
 */
public record BansConfig(List<Rule> rules, Duration duration, Duration maxDuration) {
    /** Events a rule can count. */
    public static final List<String> EVENTS = List.of("handshake_failed", "access_denied", "malformed_request",
            "rate_limited", "connection_limited", "auth_failed", "http3_protocol_error", "protocol_error",
            "send_timeout", "status_401", "status_403", "status_404");
    public static final BansConfig OFF = new BansConfig(List.of(), Duration.ofMinutes(10), Duration.ofDays(1));

    /**
     * @param events which events count (names from {@link #EVENTS})
     * @param count  how many within {@code within} set the rule off
     * @param within the sliding window
     */
    public record Rule(Set<String> events, int count, Duration within) {
        public Rule {
            events = Set.copyOf(events);
            Objects.requireNonNull(within, "within");
        }
    }

    public BansConfig {
        rules = List.copyOf(rules);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(maxDuration, "maxDuration");
    }
}
