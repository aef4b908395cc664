package io.portcullis.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the top-level {@code ranges} (named address blocks) and every {@code access} map of sites and routes. Lists
 * of blocks may mix literal blocks and range names; names are expanded here so the server only sees blocks. Internal
 * to the loader.
 */
final class AccessBinder {
    static final List<String> KEYS = List.of("allow", "deny", "denied", "deny_ja4");
    static final String JA4_EXPECTED = "a JA4 fingerprint like t13d1516h2_8daaf6152771_e5627efa2ab1";
    static final java.util.regex.Pattern JA4 = java.util.regex.Pattern.compile(
            "[tqd](13|12|11|10|s3|s2|d1|d2|d3|00)[di]\\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
    static final String BLOCKS_EXPECTED = Cidr.EXPECTED + ", or the name of a range";

    private final Binder binder;
    private Map<String, List<Cidr>> ranges = Map.of();

    AccessBinder(Binder binder) {
        this.binder = binder;
    }

    /** Binds {@code ranges: {name: [block, ...], ...}}; {@code node} may be null (no ranges). */
    void bindRanges(YamlNode node) {
        if (node == null) {
            return;
        }
        if (!(node instanceof YamlNode.MapNode map)) {
            binder.problems().invalid(node, "ranges", node.describe(), "a map of name to a list of address blocks");
            return;
        }
        Map<String, List<Cidr>> out = new LinkedHashMap<>();
        for (YamlNode.MapNode.Entry e : map.entries().values()) {
            String name = e.key().name();
            String path = "ranges." + name;
            if (!isName(name)) {
                binder.problems().add(e.key(), path + ": not a range name (expected: a letter, then letters, digits,"
                        + " _ or -)");
                continue;
            }
            if (e.value() instanceof YamlNode.ScalarNode s && s.isNull()) {
                binder.problems().add(e.key(), path + ": empty (expected: a list of address blocks)");
                continue;
            }
            // Ranges name only literal blocks: a range made of ranges would need cycle checks for little gain.
            out.put(name, literalBlocks(e.value(), path));
        }
        ranges = out;
    }

    /** The {@code access} key of a site or route map, or {@link AccessConfig#NONE} when absent. */
    AccessConfig access(MapReader parent) {
        MapReader m = parent.map("access", KEYS);
        if (m == null) {
            return AccessConfig.NONE;
        }
        List<Cidr> allow = m.has("allow") ? blocks(m.get("allow"), m.child("allow")) : List.of();
        List<Cidr> deny = m.has("deny") ? blocks(m.get("deny"), m.child("deny")) : List.of();
        AccessConfig.Denied denied = m.choice("denied", AccessConfig.Denied.FORBIDDEN,
                Binder.enumOptions(AccessConfig.Denied.class));
        List<String> denyJa4 = new java.util.ArrayList<>();
        if (m.has("deny_ja4")) {
            List<Binder.Item> items = binder.strings(m.get("deny_ja4"), m.child("deny_ja4"), JA4_EXPECTED);
            for (Binder.Item item : items == null ? List.<Binder.Item>of() : items) {
                String t = item.text().strip().toLowerCase(java.util.Locale.ROOT);
                if (JA4.matcher(t).matches()) {
                    denyJa4.add(t);
                } else {
                    binder.problems().invalid(item.node(), item.path(), item.text(), JA4_EXPECTED);
                }
            }
        }
        return new AccessConfig(allow, deny, denied, denyJa4);
    }

    /** A list of blocks and range names, expanded to blocks. */
    List<Cidr> blocks(YamlNode node, String path) {
        List<Binder.Item> items = binder.strings(node, path, BLOCKS_EXPECTED);
        List<Cidr> out = new ArrayList<>();
        for (Binder.Item item : items == null ? List.<Binder.Item>of() : items) {
            String t = item.text().strip();
            if (isName(t)) {
                List<Cidr> range = ranges.get(t);
                if (range == null) {
                    String hint = ranges.isEmpty() ? "no ranges are defined"
                            : "one of " + String.join(", ", ranges.keySet());
                    String suggestion = ranges.isEmpty() ? null : MapReader.suggest(t, List.copyOf(ranges.keySet()));
                    binder.problems().invalid(item.node(), item.path(), t + " is not a defined range"
                            + (suggestion != null ? ", did you mean " + suggestion + "?" : ""),
                            "an address block or a range name; " + hint);
                } else {
                    out.addAll(range);
                }
                continue;
            }
            Cidr c = block(item);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    private List<Cidr> literalBlocks(YamlNode node, String path) {
        List<Binder.Item> items = binder.strings(node, path, Cidr.EXPECTED);
        List<Cidr> out = new ArrayList<>();
        for (Binder.Item item : items == null ? List.<Binder.Item>of() : items) {
            Cidr c = block(item);
            if (c != null) {
                out.add(c);
            }
        }
        if (items != null && items.isEmpty()) {
            binder.problems().invalid(node, path, "an empty list", "at least one address block");
        }
        return out;
    }

    private Cidr block(Binder.Item item) {
        try {
            return Cidr.parse(item.text());
        } catch (IllegalArgumentException e) {
            binder.problems().invalid(item.node(), item.path(), item.text().strip() + ": " + e.getMessage(),
                    Cidr.EXPECTED);
            return null;
        }
    }

    /** Range names start with a letter and hold no {@code :} or {@code .}, so they never look like addresses. */
    static boolean isName(String s) {
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 'z') {
            return false;
        }
        return s.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'));
    }
}
