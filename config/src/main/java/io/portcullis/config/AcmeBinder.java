package io.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds the top-level {@code acme:} block into an {@link AcmeConfig}. Internal. */
final class AcmeBinder {
    static final List<String> KEYS = List.of("directory", "email", "ca_root", "key_type", "challenges",
            "eab_key_id", "eab_hmac_key", "check_interval", "renewal_ratio", "must_staple", "retry_base");
    static final Map<String, AcmeConfig.KeyType> KEY_TYPES = new LinkedHashMap<>();
    static final List<String> CHALLENGES = List.of("http-01", "tls-alpn-01");

    static {
        KEY_TYPES.put("ecdsa-p256", AcmeConfig.KeyType.ECDSA_P256);
        KEY_TYPES.put("rsa-2048", AcmeConfig.KeyType.RSA_2048);
    }

    private AcmeBinder() {
    }

    /** @param node the {@code acme} value, or {@code null} when absent */
    static AcmeConfig bind(Binder binder, YamlNode node) {
        AcmeConfig def = AcmeConfig.defaults();
        if (node == null) {
            return null;
        }
        MapReader m = binder.map(node, "acme", KEYS);
        if (m == null) {
            return def;
        }
        Problems problems = binder.problems();
        URI directory = def.directory();
        if (m.has("directory")) {
            String expected = "an https URL of an ACME directory, like " + AcmeConfig.LETS_ENCRYPT;
            String t = binder.text(m.get("directory"), m.child("directory"), expected);
            if (t != null) {
                try {
                    URI u = new URI(t.strip());
                    if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                        throw new URISyntaxException(t, "not an https URL");
                    }
                    directory = u;
                } catch (URISyntaxException e) {
                    problems.invalid(m.get("directory"), m.child("directory"), t, expected);
                }
            }
        }
        String email = m.string("email", null);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            problems.invalid(m.get("email"), m.child("email"), email, "an e-mail address");
            email = null;
        }
        Path caRoot = m.has("ca_root") ? binder.existingFile(m.get("ca_root"), m.child("ca_root")) : null;
        AcmeConfig.KeyType keyType = m.choice("key_type", def.keyType(), KEY_TYPES);
        boolean http01 = def.http01();
        boolean tlsAlpn01 = def.tlsAlpn01();
        if (m.has("challenges")) {
            String expected = "a list of " + String.join(", ", CHALLENGES);
            List<Binder.Item> items = binder.strings(m.get("challenges"), m.child("challenges"), expected);
            if (items != null) {
                http01 = false;
                tlsAlpn01 = false;
                for (Binder.Item item : items) {
                    switch (item.text().strip().toLowerCase(java.util.Locale.ROOT)) {
                        case "http-01" -> http01 = true;
                        case "tls-alpn-01" -> tlsAlpn01 = true;
                        default -> problems.invalid(item.node(), item.path(), item.text(), "one of "
                                + String.join(", ", CHALLENGES) + " (dns-01 is not supported)");
                    }
                }
                if (items.isEmpty()) {
                    problems.invalid(m.get("challenges"), m.child("challenges"), "an empty list", expected);
                }
            }
        }
        String eabKeyId = m.string("eab_key_id", null);
        String eabHmacKey = m.string("eab_hmac_key", null);
        if ((eabKeyId == null) != (eabHmacKey == null)) {
            String missing = eabKeyId == null ? "eab_key_id" : "eab_hmac_key";
            problems.add(m.node(), m.child(missing) + ": missing (expected: eab_key_id and eab_hmac_key together, "
                    + "as the CA gives them)");
        }
        if (eabHmacKey != null && !eabHmacKey.strip().matches("[A-Za-z0-9_=-]+")) {
            problems.invalid(m.get("eab_hmac_key"), m.child("eab_hmac_key"), "not base64url",
                    "the base64url MAC key the CA gave");
        }
        Duration check = m.duration("check_interval", def.checkInterval(), Duration.ofSeconds(1),
                Duration.ofDays(1));
        double ratio = def.renewalRatio();
        if (m.has("renewal_ratio")) {
            String t = binder.text(m.get("renewal_ratio"), m.child("renewal_ratio"), "a number between 0.1 and 0.95");
            try {
                double v = t == null ? ratio : Double.parseDouble(t.strip());
                if (v < 0.1 || v > 0.95) {
                    throw new NumberFormatException();
                }
                ratio = v;
            } catch (NumberFormatException e) {
                problems.invalid(m.get("renewal_ratio"), m.child("renewal_ratio"), t, "a number between 0.1 and 0.95");
            }
        }
        return new AcmeConfig(directory, email, caRoot, keyType, http01, tlsAlpn01,
                eabKeyId == null ? null : eabKeyId.strip(), eabHmacKey == null ? null : eabHmacKey.strip(), check,
                ratio, m.bool("must_staple", def.mustStaple()),
                m.duration("retry_base", def.retryBase(), Duration.ofSeconds(1), Duration.ofHours(1)));
    }
}
