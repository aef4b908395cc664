package io.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binds a route's {@code rate_limit}. Internal to the loader. */
final class RateLimitBinder {
    static final List<String> KEYS = List.of("rate", "burst", "key");
    static final String RATE_EXPECTED = "requests per period like 10/s, 600/m, 1000/h or 10000/d";
    static final String KEY_EXPECTED = "address, route, ja4 or header:<Name>";
    private static final Pattern RATE = Pattern.compile("(\\d{1,9})\\s*/\\s*(s|m|h|d)");

    private RateLimitBinder() {
    }

    /** The {@code rate_limit} key of a route map, or {@code null} when absent or invalid (reported). */
    static RateLimitConfig bind(Binder binder, MapReader route) {
        MapReader m = route.map("rate_limit", KEYS);
        if (m == null) {
            return null;
        }
        YamlNode rateNode = m.require("rate", RATE_EXPECTED);
        String rateText = rateNode == null ? null : binder.text(rateNode, m.child("rate"), RATE_EXPECTED);
        long requests = 0;
        Duration per = null;
        if (rateText != null) {
            Matcher r = RATE.matcher(rateText.strip());
            if (r.matches() && Long.parseLong(r.group(1)) > 0) {
                requests = Long.parseLong(r.group(1));
                per = switch (r.group(2)) {
                    case "s" -> Duration.ofSeconds(1);
                    case "m" -> Duration.ofMinutes(1);
                    case "h" -> Duration.ofHours(1);
                    default -> Duration.ofDays(1);
                };
            } else {
                binder.problems().invalid(rateNode, m.child("rate"), rateText, RATE_EXPECTED);
            }
        }
        long burst = m.integer("burst", (int) Math.min(Integer.MAX_VALUE, Math.max(requests, 1)), 1, 1_000_000_000);
        RateLimitConfig.Key key = RateLimitConfig.Key.ADDRESS;
        String header = null;
        YamlNode keyNode = m.get("key");
        if (keyNode != null) {
            String t = binder.text(keyNode, m.child("key"), KEY_EXPECTED);
            if (t != null) {
                String lower = t.strip().toLowerCase(Locale.ROOT);
                if (lower.equals("address")) {
                    key = RateLimitConfig.Key.ADDRESS;
                } else if (lower.equals("ja4")) {
                    key = RateLimitConfig.Key.JA4;
                } else if (lower.equals("route")) {
                    key = RateLimitConfig.Key.ROUTE;
                } else if (lower.startsWith("header:") && HttpSyntax.isToken(t.strip().substring(7).strip())) {
                    key = RateLimitConfig.Key.HEADER;
                    header = t.strip().substring(7).strip();
                } else {
                    binder.problems().invalid(keyNode, m.child("key"), t, KEY_EXPECTED);
                }
            }
        }
        return per == null ? null : new RateLimitConfig(requests, per, burst, key, header);
    }
}
