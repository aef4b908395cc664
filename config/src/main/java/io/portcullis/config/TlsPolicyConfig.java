package io.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The TLS policy for every site. Defaults are Mozilla's intermediate profile: TLS 1.2 and 1.3, ECDHE with AEAD only,
 * groups X25519, P-256, P-384. Anything weaker is rejected at load time unless its exact name appears in
 * {@code insecureLegacy}, and then a warning is logged at every start.
 *
 * @param minVersion        {@code TLSv1.2} (default) or {@code TLSv1.3}; older only with an opt-in
 * @param ciphers           TLS 1.2 cipher suites in IANA names, server preference order; TLS 1.3 suites are fixed
 *                          (not used, and not checked for weakness, when minVersion is TLSv1.3)
 * @param groups            key-exchange groups, canonical names: default {@code X25519}, {@code P-256}, {@code P-384};
 *                          {@code X448} and {@code P-521} are also allowed, {@code ffdheN} and {@code P-224} only
 *                          with an opt-in
 * @param sessionTickets    stateless resumption on (default) or off
 * @param ticketKeyRotation how often a new ticket key is made; the previous ones still decrypt for two periods
 * @param insecureLegacy    explicit opt-ins for weaker settings, each naming the protocol, suite or group it allows;
 *                          the loader guarantees it equals {@code Set.copyOf(weakenings())}
 */
public record TlsPolicyConfig(
        String minVersion,
        List<String> ciphers,
        List<String> groups,
        boolean sessionTickets,
        Duration ticketKeyRotation,
        Set<String> insecureLegacy) {
    public TlsPolicyConfig {
        ciphers = List.copyOf(ciphers);
        groups = List.copyOf(groups);
        insecureLegacy = Set.copyOf(insecureLegacy);
    }

    /** Mozilla intermediate: the policy of a config that sets no {@code tls} key. */
    public static TlsPolicyConfig defaults() {
        return ConfigDefaults.tls();
    }

    /**
     * Every setting of this policy weaker than Mozilla intermediate, by the name used in {@code insecure_legacy}:
     * enabled legacy protocol versions, then TLS 1.2 suites outside the default list (not counted with a minimum of
     * TLSv1.3), then groups outside X25519, X448, P-256, P-384, P-521. Empty for a secure policy. A loaded config has
     * an opt-in for each; the server logs a warning for each at every start.
     */
    public List<String> weakenings() {
        return TlsRules.weakenings(minVersion, ciphers, groups);
    }
}
