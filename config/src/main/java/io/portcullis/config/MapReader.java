package io.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A view of one YAML map being bound: reports unknown keys (with a "did you mean") when created, and reads typed
 * values with defaults. Every read that fails reports a problem and returns the default, so binding goes on and
 * finds the other problems too. Internal to the loader.
 */
final class MapReader {
    private final Binder binder;
    private final YamlNode.MapNode map;
    private final String path;

    MapReader(Binder binder, YamlNode.MapNode map, String path, List<String> known) {
        this.binder = binder;
        this.map = map;
        this.path = path;
        for (YamlNode.MapNode.Entry e : map.entries().values()) {
            String name = e.key().name();
            if (!known.contains(name)) {
                binder.problems().add(e.key(), unknownKeyMessage(child(name), name, known));
            }
        }
    }

    static String unknownKeyMessage(String fullPath, String name, List<String> known) {
        StringBuilder sb = new StringBuilder(fullPath).append(": unknown key");
        String suggestion = suggest(name, known);
        if (suggestion != null) {
            sb.append(", did you mean ").append(suggestion).append('?');
        }
        return sb.append(" (expected: one of ").append(String.join(", ", known)).append(')').toString();
    }

    YamlNode.MapNode node() {
        return map;
    }

    String path() {
        return path;
    }

    /** The path of a key of this map, e.g. {@code sites[0].tls}. */
    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The value of a key, or {@code null} when the key is absent or its value is empty. */
    YamlNode get(String key) {
        YamlNode.MapNode.Entry e = map.entries().get(key);
        if (e == null || e.value() instanceof YamlNode.ScalarNode s && s.isNull()) {
            return null;
        }
        return e.value();
    }

    YamlNode.Key keyOf(String key) {
        YamlNode.MapNode.Entry e = map.entries().get(key);
        return e == null ? null : e.key();
    }

    boolean has(String key) {
        return get(key) != null;
    }

    /** The value of a required key; reports it missing (at the map) or empty (at its key) and returns null. */
    YamlNode require(String key, String expected) {
        YamlNode value = get(key);
        if (value == null) {
            YamlNode.MapNode.Entry e = map.entries().get(key);
            if (e == null) {
                binder.problems().add(map, child(key) + ": missing (expected: " + expected + ")");
            } else {
                binder.problems().add(e.key(), child(key) + ": empty (expected: " + expected + ")");
            }
        }
        return value;
    }

    String string(String key, String def) {
        YamlNode n = get(key);
        if (n == null) {
            return def;
        }
        String s = binder.text(n, child(key), "a string");
        return s == null ? def : s;
    }

    boolean bool(String key, boolean def) {
        YamlNode n = get(key);
        Boolean b = n == null ? null : binder.bool(n, child(key));
        return b == null ? def : b;
    }

    int integer(String key, int def, int min, int max) {
        YamlNode n = get(key);
        Long v = n == null ? null : binder.integer(n, child(key), min, max);
        return v == null ? def : v.intValue();
    }

    long size(String key, long def, long min, long max) {
        YamlNode n = get(key);
        Long v = n == null ? null : binder.size(n, child(key), min, max);
        return v == null ? def : v;
    }

    Duration duration(String key, Duration def, Duration min, Duration max) {
        YamlNode n = get(key);
        Duration v = n == null ? null : binder.duration(n, child(key), min, max);
        return v == null ? def : v;
    }

    <E> E choice(String key, E def, Map<String, E> options) {
        YamlNode n = get(key);
        E v = n == null ? null : binder.choice(n, child(key), options);
        return v == null ? def : v;
    }

    /** A nested map, or {@code null} when absent, empty or not a map (reported). */
    MapReader map(String key, List<String> known) {
        YamlNode n = get(key);
        return n == null ? null : binder.map(n, child(key), known);
    }

    /** The closest known key when it is close enough to be a likely typo, else {@code null}. */
    static String suggest(String name, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, name.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /** Levenshtein distance, with '-' and '_' considered equal (max-age vs max_age). */
    static int distance(String a, String b) {
        a = a.replace('-', '_');
        b = b.replace('-', '_');
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
