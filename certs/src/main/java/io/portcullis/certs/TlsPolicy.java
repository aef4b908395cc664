package io.portcullis.certs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.portcullis.config.TlsPolicyConfig;
import io.portcullis.tls.CipherSuite;
import io.portcullis.tls.NamedGroup;
import io.portcullis.tls.ProtocolVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS policy resolved from config into what the TLS engine takes: protocol names, cipher suites (TLS 1.2 in the
 * configured server-preference order, then the three TLS 1.3 suites) and key-exchange groups.
 *
 * <p>The config loader already rejects weak settings without an opt-in; this class checks again because it is the
 * last point before the settings reach the engine, and a config built in code bypasses the loader.
 *
 * @param protocols      newest first, e.g. {@code [TLSv1.3, TLSv1.2]}
 * @param tls12Ciphers   TLS 1.2-and-older suites, server preference order
 * @param groups         key-exchange groups, preference order
 * @param sessionTickets stateless resumption on
 * @param ticketKeyRotation how often a new ticket key is made
 */
public record TlsPolicy(List<ProtocolVersion> protocols, List<CipherSuite> tls12Ciphers, List<NamedGroup> groups,
                        boolean sessionTickets, Duration ticketKeyRotation) {
    private static final Logger LOG = LoggerFactory.getLogger(TlsPolicy.class);

    /** Mozilla intermediate's TLS 1.2 list minus DHE (which BoringSSL lacks), used when config lists none. */
    public static final List<CipherSuite> DEFAULT_TLS12_CIPHERS = List.of(
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256);
    public static final List<NamedGroup> DEFAULT_GROUPS =
            List.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1);
    /** The TLS 1.3 suites every client and BoringSSL support; BoringSSL does not let them be reordered. */
    public static final List<CipherSuite> TLS13_CIPHERS = List.of(CipherSuite.TLS_AES_128_GCM_SHA256,
            CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256);
    public static final Duration DEFAULT_TICKET_KEY_ROTATION = Duration.ofHours(12);

    public TlsPolicy {
        protocols = List.copyOf(protocols);
        tls12Ciphers = List.copyOf(tls12Ciphers);
        groups = List.copyOf(groups);
    }

    /**
     * Resolves {@code config}, logging one WARN line per insecure opt-in.
     *
     * @throws CertStoreException for unknown names or weak settings without their opt-in
     */
    public static TlsPolicy from(TlsPolicyConfig config) throws CertStoreException {
        Set<String> optIns = config.insecureLegacy();
        for (String optIn : optIns.stream().sorted().toList()) {
            LOG.warn("insecure TLS setting enabled by insecureLegacy: {} (clients can be downgraded to it)", optIn);
        }

        String min = config.minVersion() == null ? "TLSv1.2" : config.minVersion();
        ProtocolVersion minVersion = ProtocolVersion.fromName(min)
                .orElseThrow(() -> new CertStoreException("tls.minVersion: unknown protocol version '" + min + "'"));
        List<ProtocolVersion> protocols = new ArrayList<>();
        for (ProtocolVersion v : ProtocolVersion.values()) {
            if (v.compareTo(minVersion) < 0) {
                continue;
            }
            if (v.isLegacy() && !optedIn(optIns, v.jdkName(), v.displayName())) {
                throw new CertStoreException("tls.minVersion " + min + " enables " + v.jdkName()
                        + ", which needs the opt-in insecureLegacy: [" + v.jdkName() + "]");
            }
            protocols.add(0, v); // newest first
        }

        List<CipherSuite> ciphers = new ArrayList<>();
        for (String name : config.ciphers()) {
            CipherSuite suite = CipherSuite.fromName(name)
                    .orElseThrow(() -> new CertStoreException("tls.ciphers: unknown cipher suite '" + name + "'"));
            if (suite.isTls13()) {
                continue; // TLS 1.3 suites are fixed; listing them is harmless
            }
            if (!suite.isRecommended() && !optedIn(optIns, suite.ianaName(), suite.openSslName())) {
                throw new CertStoreException("tls.ciphers: " + suite.ianaName()
                        + " is not forward secret with AEAD; it needs the opt-in insecureLegacy: ["
                        + suite.ianaName() + "]");
            }
            if (!ciphers.contains(suite)) {
                ciphers.add(suite);
            }
        }
        if (ciphers.isEmpty()) {
            ciphers.addAll(DEFAULT_TLS12_CIPHERS);
        }

        List<NamedGroup> groups = new ArrayList<>();
        for (String name : config.groups()) {
            NamedGroup g = NamedGroup.fromName(name)
                    .orElseThrow(() -> new CertStoreException("tls.groups: unknown group '" + name + "'"));
            if (!groups.contains(g)) {
                groups.add(g);
            }
        }
        if (groups.isEmpty()) {
            groups.addAll(DEFAULT_GROUPS);
        }

        Duration rotation = config.ticketKeyRotation() == null || config.ticketKeyRotation().isZero()
                || config.ticketKeyRotation().isNegative() ? DEFAULT_TICKET_KEY_ROTATION : config.ticketKeyRotation();
        return new TlsPolicy(protocols, ciphers, groups, config.sessionTickets(), rotation);
    }

    private static boolean optedIn(Set<String> optIns, String... names) {
        for (String optIn : optIns) {
            for (String n : names) {
                if (optIn.equalsIgnoreCase(n)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Protocol names for {@code SslContextBuilder.protocols}, newest first. */
    public List<String> protocolNames() {
        return protocols.stream().map(ProtocolVersion::jdkName).toList();
    }

    /** TLS 1.2 suites in OpenSSL names, then the TLS 1.3 suites (whose OpenSSL name is the IANA name). */
    public List<String> openSslCipherNames() {
        List<String> names = new ArrayList<>(tls12Ciphers.stream().map(CipherSuite::openSslName).toList());
        TLS13_CIPHERS.forEach(s -> names.add(s.openSslName()));
        return names;
    }

    /** TLS 1.3 suites first (JSSE orders by list position), then TLS 1.2, all in IANA/JSSE names. */
    public List<String> jdkCipherNames() {
        List<String> names = new ArrayList<>(TLS13_CIPHERS.stream().map(CipherSuite::ianaName).toList());
        tls12Ciphers.forEach(s -> names.add(s.ianaName()));
        return names;
    }

    /** Groups as BoringSSL names, only those it implements, e.g. {@code [X25519, P-256, P-384]}. */
    public List<String> boringSslGroupNames() {
        return groups.stream().filter(NamedGroup::supportedByBoringSsl).map(NamedGroup::openSslName).toList();
    }

    /** The groups as one OpenSSL groups list, e.g. {@code X25519:P-256:P-384}. */
    public String boringSslGroupList() {
        return boringSslGroupNames().stream().collect(Collectors.joining(":"));
    }
}
