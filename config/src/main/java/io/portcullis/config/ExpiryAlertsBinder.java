package io.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Binds the top-level {@code expiry_alerts:} block into an {@link ExpiryAlertsConfig}. Internal. */
final class ExpiryAlertsBinder {
    static final List<String> KEYS = List.of("webhook", "days");
    private static final String URL_EXPECTED = "an http or https URL that accepts a JSON POST";
    private static final String DAYS_EXPECTED = "a list of whole days between 1 and 365, like [30, 14, 7]";

    private ExpiryAlertsBinder() {
    }

    /** @param node the {@code expiry_alerts} value, or {@code null} when absent */
    static ExpiryAlertsConfig bind(Binder binder, YamlNode node) {
        ExpiryAlertsConfig def = ExpiryAlertsConfig.defaults();
        if (node == null) {
            return def;
        }
        MapReader m = binder.map(node, "expiry_alerts", KEYS);
        if (m == null) {
            return def;
        }
        Problems problems = binder.problems();
        URI webhook = null;
        if (m.has("webhook")) {
            String t = binder.text(m.get("webhook"), m.child("webhook"), URL_EXPECTED);
            if (t != null) {
                try {
                    URI u = new URI(t.strip());
                    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
                    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                        throw new URISyntaxException(t, "not an http(s) URL");
                    }
                    webhook = u;
                } catch (URISyntaxException e) {
                    problems.invalid(m.get("webhook"), m.child("webhook"), t, URL_EXPECTED);
                }
            }
        }
        List<Integer> days = def.days();
        if (m.has("days")) {
            List<YamlNode> items = binder.list(m.get("days"), m.child("days"), DAYS_EXPECTED);
            if (items != null) {
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    Long v = binder.integer(items.get(i), m.child("days") + "[" + i + "]", 1, 365);
                    if (v != null) {
                        out.add(v.intValue());
                    }
                }
                if (items.isEmpty()) {
                    problems.invalid(m.get("days"), m.child("days"), "an empty list", DAYS_EXPECTED);
                } else {
                    days = out;
                }
            }
        }
        return new ExpiryAlertsConfig(webhook, days);
    }
}
