package io.portcullis.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Binds the top-level {@code bans}. Internal to the loader. */
final class BansBinder {
    static final List<String> KEYS = List.of("rules", "duration", "max_duration");
    static final List<String> RULE_KEYS = List.of("on", "count", "within");

    private BansBinder() {
    }

    static BansConfig bind(Binder binder, MapReader root) {
        MapReader m = root.map("bans", KEYS);
        if (m == null) {
            return BansConfig.OFF;
        }
        Duration min = Duration.ofSeconds(1);
        Duration year = Duration.ofDays(365);
        Duration duration = m.duration("duration", BansConfig.OFF.duration(), min, year);
        Duration max = m.duration("max_duration", BansConfig.OFF.maxDuration(), min, year);
        if (max.compareTo(duration) < 0) {
            binder.problems().invalid(m.get("max_duration") != null ? m.get("max_duration") : m.node(),
                    m.child("max_duration"), DurationFormat.format(max) + " is shorter than duration",
                    "at least duration (" + DurationFormat.format(duration) + ")");
        }
        List<BansConfig.Rule> rules = new ArrayList<>();
        YamlNode rulesNode = m.require("rules", "a list of {on: [events], count: n, within: duration}");
        List<YamlNode> items = rulesNode == null ? null : binder.list(rulesNode, m.child("rules"), "a list of rules");
        for (int i = 0; items != null && i < items.size(); i++) {
            String path = m.child("rules") + "[" + i + "]";
            MapReader r = binder.map(items.get(i), path, RULE_KEYS);
            if (r == null) {
                continue;
            }
            YamlNode on = r.require("on", "a list of events: " + String.join(", ", BansConfig.EVENTS));
            Set<String> events = new LinkedHashSet<>();
            List<Binder.Item> names = on == null ? null : binder.strings(on, r.child("on"), "an event name");
            for (Binder.Item item : names == null ? List.<Binder.Item>of() : names) {
                if (BansConfig.EVENTS.contains(item.text().strip())) {
                    events.add(item.text().strip());
                } else {
                    binder.problems().invalid(item.node(), item.path(), item.text(),
                            "one of " + String.join(", ", BansConfig.EVENTS));
                }
            }
            int count = r.integer("count", 10, 1, 1_000_000);
            Duration within = r.duration("within", Duration.ofMinutes(1), min, Duration.ofDays(1));
            if (!events.isEmpty()) {
                rules.add(new BansConfig.Rule(events, count, within));
            }
        }
        return new BansConfig(rules, duration, max);
    }
}
