package io.portcullis.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed YAML value that remembers where it came from (1-based line and column). Internal to the loader. */
sealed interface YamlNode permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.ScalarNode {
    int line();

    int column();

    /** What this is, for "a list (expected: a string)" messages. */
    String describe();

    /** A key of a map and where the key itself was written. */
    record Key(String name, int line, int column) {
    }

    /** A mapping; entries in document order. */
    record MapNode(Map<String, Entry> entries, int line, int column) implements YamlNode {
        public record Entry(Key key, YamlNode value) {
        }

        public MapNode {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    record ListNode(List<YamlNode> items, int line, int column) implements YamlNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar as written (YAML's implicit typing is not applied: the binder decides what the text means).
     *
     * @param text   the text; empty for null
     * @param isNull an empty value, {@code ~} or {@code null}
     */
    record ScalarNode(String text, boolean isNull, int line, int column) implements YamlNode {
        @Override
        public String describe() {
            return isNull ? "empty" : text;
        }
    }
}
