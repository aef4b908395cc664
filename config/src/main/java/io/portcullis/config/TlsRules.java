package io.portcullis.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What counts as weaker than Mozilla's intermediate profile, and the names the TLS settings accept. Shared by the
 * loader and {@link TlsPolicyConfig#weakenings()}.
 */
final class TlsRules {
    private TlsRules() {
    }

    /** Protocol versions, oldest first, in JDK/Netty spelling. */
    static final List<String> VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    static final List<String> LEGACY_VERSIONS = List.of("TLSv1", "TLSv1.1");

    /** TLS 1.3 suites: fixed by the TLS stack, so not configurable in {@code ciphers}. */
    static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256");

    /** IANA TLS 1.2 (and older) cipher suite names: {@code TLS_<kx>_WITH_<cipher>_<mac>}. */
    static final Pattern IANA_SUITE = Pattern.compile("TLS_[A-Za-z0-9]+(_[A-Za-z0-9]+)*_WITH_[A-Z0-9]+(_[A-Z0-9]+)*");

    /** OpenSSL spellings of the default suites, to suggest the IANA name. */
    static final Map<String, String> OPENSSL_NAMES = Map.of(
            "ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Key exchange groups by lower-case spelling, to their canonical name. */
    private static final Map<String, String> GROUP_NAMES = new LinkedHashMap<>();

    static {
        for (String[] g : new String[][] {
                {"X25519", "x25519"}, {"X448", "x448"},
                {"P-256", "p-256", "secp256r1", "prime256v1"}, {"P-384", "p-384", "secp384r1"},
                {"P-521", "p-521", "secp521r1"}, {"P-224", "p-224", "secp224r1"},
                {"ffdhe2048", "ffdhe2048"}, {"ffdhe3072", "ffdhe3072"}, {"ffdhe4096", "ffdhe4096"},
                {"ffdhe6144", "ffdhe6144"}, {"ffdhe8192", "ffdhe8192"}}) {
            for (int i = 1; i < g.length; i++) {
                GROUP_NAMES.put(g[i], g[0]);
            }
        }
    }

    /** The canonical name of a group ({@code secp256r1} is {@code P-256}), or {@code null} if unknown. */
    static String canonicalGroup(String name) {
        return GROUP_NAMES.get(name.toLowerCase(Locale.ROOT));
    }

    /** All known group names, canonical spelling. */
    static List<String> knownGroups() {
        return GROUP_NAMES.values().stream().distinct().toList();
    }

    /** The canonical version name ({@code tlsv1.2} is {@code TLSv1.2}), or {@code null} if not a version. */
    static String canonicalVersion(String name) {
        for (String v : VERSIONS) {
            if (v.equalsIgnoreCase(name)) {
                return v;
            }
        }
        return null;
    }

    /** Why a suite is never allowed (no encryption, no authentication, export grade), or {@code null}. */
    static String forbiddenReason(String suite) {
        if (suite.contains("_NULL_") || suite.endsWith("_NULL") || suite.contains("_WITH_NULL")) {
            return "does not encrypt";
        }
        if (suite.contains("_anon_") || suite.contains("_ANON_")) {
            return "does not authenticate the server";
        }
        if (suite.contains("EXPORT")) {
            return "is export grade";
        }
        return null;
    }

    /** Legacy versions a minimum version enables, oldest first; empty for TLSv1.2 and up. */
    static List<String> legacyVersionsEnabled(String minVersion) {
        int i = VERSIONS.indexOf(minVersion);
        if (i < 0 || i >= LEGACY_VERSIONS.size()) {
            return List.of();
        }
        return LEGACY_VERSIONS.subList(i, LEGACY_VERSIONS.size());
    }

    static boolean isWeakCipher(String suite) {
        return !ConfigDefaults.CIPHERS.contains(suite);
    }

    static boolean isWeakGroup(String group) {
        return !ConfigDefaults.STRONG_GROUPS.contains(group);
    }

    /** Every setting of the policy that is weaker than the defaults allow: versions, then suites, then groups. */
    static List<String> weakenings(String minVersion, List<String> ciphers, List<String> groups) {
        List<String> out = new ArrayList<>(legacyVersionsEnabled(minVersion));
        if (!"TLSv1.3".equals(minVersion)) {
            ciphers.stream().filter(TlsRules::isWeakCipher).forEach(out::add);
        }
        groups.stream().filter(TlsRules::isWeakGroup).forEach(out::add);
        return out;
    }
}
