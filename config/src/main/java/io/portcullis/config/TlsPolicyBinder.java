package io.portcullis.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds and checks the top-level {@code tls} map: anything weaker than Mozilla intermediate needs its exact name in
 * {@code insecure_legacy}, and every name there must be used. Internal to the loader.
 */
final class TlsPolicyBinder {
    static final List<String> KEYS = List.of("min_version", "ciphers", "groups", "session_tickets",
            "ticket_key_rotation", "insecure_legacy");
    static final Duration MIN_ROTATION = Duration.ofMinutes(1);
    static final Duration MAX_ROTATION = Duration.ofDays(7);

    private final Binder binder;
    private final Problems problems;
    /** Canonical opt-in name to where it was written. */
    private final Map<String, Binder.Item> optIns = new LinkedHashMap<>();
    private final Set<String> used = new LinkedHashSet<>();
    /** False when a setting could not be read, so "unused opt-in" could be wrong. */
    private boolean complete = true;

    private TlsPolicyBinder(Binder binder) {
        this.binder = binder;
        this.problems = binder.problems();
    }

    /** @param node the {@code tls} value, or {@code null} when absent */
    static TlsPolicyConfig bind(Binder binder, YamlNode node) {
        return new TlsPolicyBinder(binder).bind(node);
    }

    private TlsPolicyConfig bind(YamlNode node) {
        if (node == null) {
            return ConfigDefaults.tls();
        }
        MapReader m = binder.map(node, "tls", KEYS);
        if (m == null) {
            return ConfigDefaults.tls();
        }
        readOptIns(m);
        String minVersion = minVersion(m);
        List<String> ciphers = ciphers(m, minVersion);
        List<String> groups = groups(m);
        boolean tickets = m.bool("session_tickets", ConfigDefaults.SESSION_TICKETS);
        Duration rotation = m.duration("ticket_key_rotation", ConfigDefaults.TICKET_KEY_ROTATION, MIN_ROTATION,
                MAX_ROTATION);
        if (complete) {
            for (Map.Entry<String, Binder.Item> e : optIns.entrySet()) {
                if (!used.contains(e.getKey())) {
                    Binder.Item item = e.getValue();
                    problems.invalid(item.node(), item.path(), item.text() + " is not used by this config",
                            "only names of weaker versions, suites or groups this config enables; remove it");
                }
            }
        }
        return new TlsPolicyConfig(minVersion, ciphers, groups, tickets, rotation, optIns.keySet());
    }

    private void readOptIns(MapReader m) {
        YamlNode node = m.get("insecure_legacy");
        if (node == null) {
            return;
        }
        List<Binder.Item> items = binder.strings(node, "tls.insecure_legacy", "a version, cipher suite or group name");
        if (items == null) {
            complete = false;
            return;
        }
        for (Binder.Item item : items) {
            String name = canonicalOptIn(item.text());
            if (name == null) {
                problems.invalid(item.node(), item.path(), item.text(),
                        "TLSv1, TLSv1.1, an IANA cipher suite name like TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
                                + " or a group name like ffdhe2048");
            } else if (optIns.containsKey(name)) {
                problems.invalid(item.node(), item.path(), item.text() + " is listed twice", "each name once");
            } else {
                optIns.put(name, item);
            }
        }
    }

    private static String canonicalOptIn(String text) {
        String version = TlsRules.canonicalVersion(text);
        if (version != null) {
            return version;
        }
        if (TlsRules.IANA_SUITE.matcher(text).matches()) {
            return text;
        }
        return TlsRules.canonicalGroup(text);
    }

    /** Requires an opt-in for a weak setting; records it as used. */
    private boolean optedIn(String name) {
        if (optIns.containsKey(name)) {
            used.add(name);
            return true;
        }
        return false;
    }

    private String minVersion(MapReader m) {
        YamlNode node = m.get("min_version");
        if (node == null) {
            return ConfigDefaults.MIN_VERSION;
        }
        String path = "tls.min_version";
        String text = binder.text(node, path, "TLSv1.2 or TLSv1.3");
        String version = text == null ? null : TlsRules.canonicalVersion(text);
        if (version == null) {
            if (text != null) {
                problems.invalid(node, path, text, "TLSv1.2 or TLSv1.3; older versions only with insecure_legacy");
            }
            complete = false;
            return ConfigDefaults.MIN_VERSION;
        }
        List<String> missing = new ArrayList<>();
        for (String legacy : TlsRules.legacyVersionsEnabled(version)) {
            if (!optedIn(legacy)) {
                missing.add(legacy);
            }
        }
        if (!missing.isEmpty()) {
            problems.invalid(node, path, text + " is weaker than Mozilla intermediate",
                    "TLSv1.2 or TLSv1.3; to allow it anyway, add " + String.join(" and ", missing)
                            + " to tls.insecure_legacy");
        }
        return version;
    }

    private List<String> ciphers(MapReader m, String minVersion) {
        YamlNode node = m.get("ciphers");
        if (node == null) {
            return ConfigDefaults.CIPHERS;
        }
        String path = "tls.ciphers";
        List<Binder.Item> items = binder.strings(node, path, "an IANA TLS 1.2 cipher suite name");
        if (items == null) {
            complete = false;
            return ConfigDefaults.CIPHERS;
        }
        boolean tls13Only = "TLSv1.3".equals(minVersion);
        List<String> out = new ArrayList<>();
        for (Binder.Item item : items) {
            String suite = item.text();
            if (TlsRules.TLS13_SUITES.contains(suite)) {
                problems.invalid(item.node(), item.path(), suite + " is a TLS 1.3 suite, which is always on",
                        "TLS 1.2 suites only");
            } else if (!TlsRules.IANA_SUITE.matcher(suite).matches()) {
                String iana = TlsRules.OPENSSL_NAMES.get(suite);
                problems.invalid(item.node(), item.path(), suite + " is not an IANA cipher suite name",
                        iana != null ? "the IANA name " + iana
                                : "an IANA name like TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
                complete = false;
            } else if (TlsRules.forbiddenReason(suite) != null) {
                problems.invalid(item.node(), item.path(), suite + " " + TlsRules.forbiddenReason(suite),
                        "a suite with encryption and authentication; this one cannot be allowed");
            } else if (out.contains(suite)) {
                problems.invalid(item.node(), item.path(), suite + " is listed twice", "each suite once");
            } else {
                if (!tls13Only && TlsRules.isWeakCipher(suite) && !optedIn(suite)) {
                    problems.invalid(item.node(), item.path(), suite + " is weaker than Mozilla intermediate",
                            "one of " + String.join(", ", ConfigDefaults.CIPHERS)
                                    + "; to allow it anyway, add it to tls.insecure_legacy");
                }
                out.add(suite);
            }
        }
        if (items.isEmpty() && !tls13Only) {
            problems.invalid(node, path, "an empty list", "at least one TLS 1.2 cipher suite, or min_version TLSv1.3");
        }
        return out;
    }

    private List<String> groups(MapReader m) {
        YamlNode node = m.get("groups");
        if (node == null) {
            return ConfigDefaults.GROUPS;
        }
        String path = "tls.groups";
        String expected = "one of " + String.join(", ", ConfigDefaults.STRONG_GROUPS);
        List<Binder.Item> items = binder.strings(node, path, "a group name");
        if (items == null) {
            complete = false;
            return ConfigDefaults.GROUPS;
        }
        List<String> out = new ArrayList<>();
        for (Binder.Item item : items) {
            String group = TlsRules.canonicalGroup(item.text());
            if (group == null) {
                problems.invalid(item.node(), item.path(), item.text() + " is not a known group",
                        expected + "; or, with insecure_legacy, one of ffdhe2048, ffdhe3072, ffdhe4096, ffdhe6144,"
                                + " ffdhe8192, P-224");
                complete = false;
            } else if (out.contains(group)) {
                problems.invalid(item.node(), item.path(), item.text() + " is listed twice", "each group once");
            } else {
                if (TlsRules.isWeakGroup(group) && !optedIn(group)) {
                    problems.invalid(item.node(), item.path(), item.text() + " is weaker than Mozilla intermediate",
                            expected + "; to allow it anyway, add " + group + " to tls.insecure_legacy");
                }
                out.add(group);
            }
        }
        if (items.isEmpty()) {
            problems.invalid(node, path, "an empty list", "at least one group: " + expected);
        }
        return out;
    }
}
