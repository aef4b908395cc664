package io.portcullis.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of located YAML nodes. Each read either returns a value or reports one problem at the node and returns
 * {@code null}. Internal to the loader.
 */
final class Binder {
    private final Problems problems;
    private final Path baseDir;

    Binder(Problems problems, Path baseDir) {
        this.problems = problems;
        this.baseDir = baseDir;
    }

    Problems problems() {
        return problems;
    }

    /** A map with the given known keys, or {@code null} (reported) when the node is something else. */
    MapReader map(YamlNode node, String path, List<String> known) {
        if (node instanceof YamlNode.MapNode m) {
            return new MapReader(this, m, path, known);
        }
        problems.invalid(node, path, node.describe(), "a map with keys " + String.join(", ", known));
        return null;
    }

    /** The items of a list; a single scalar counts as a list of one. {@code null} (reported) for a map. */
    List<YamlNode> list(YamlNode node, String path, String expected) {
        if (node instanceof YamlNode.ListNode l) {
            return l.items();
        }
        if (node instanceof YamlNode.ScalarNode s && !s.isNull()) {
            return List.of(node);
        }
        problems.invalid(node, path, node.describe(), expected);
        return null;
    }

    /** The items of a list of strings, each with its node (for per-item problems); {@code null} if reported. */
    List<Item> strings(YamlNode node, String path, String expected) {
        List<YamlNode> items = list(node, path, "a list of " + expected);
        if (items == null) {
            return null;
        }
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            String text = text(items.get(i), itemPath, expected);
            if (text != null) {
                out.add(new Item(text, items.get(i), itemPath));
            }
        }
        return out;
    }

    /** A string list item, where it was written and its path. */
    record Item(String text, YamlNode node, String path) {
    }

    /** The text of a non-empty scalar, else {@code null} (reported). */
    String text(YamlNode node, String path, String expected) {
        if (node instanceof YamlNode.ScalarNode s && !s.isNull()) {
            return s.text();
        }
        problems.invalid(node, path, node.describe(), expected);
        return null;
    }

    Boolean bool(YamlNode node, String path) {
        String t = text(node, path, "true or false");
        if (t == null) {
            return null;
        }
        switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> {
                return true;
            }
            case "false", "no", "off" -> {
                return false;
            }
            default -> {
                problems.invalid(node, path, t, "true or false");
                return null;
            }
        }
    }

    Long integer(YamlNode node, String path, long min, long max) {
        String expected = range("an integer", min, max);
        String t = text(node, path, expected);
        if (t == null) {
            return null;
        }
        long v;
        try {
            v = Long.parseLong(t.replace("_", ""));
        } catch (NumberFormatException e) {
            problems.invalid(node, path, t, expected);
            return null;
        }
        if (v < min || v > max) {
            problems.invalid(node, path, t + " is out of range", expected);
            return null;
        }
        return v;
    }

    Long size(YamlNode node, String path, long min, long max) {
        String t = text(node, path, SizeFormat.EXPECTED);
        if (t == null) {
            return null;
        }
        long v;
        try {
            v = SizeFormat.parse(t);
        } catch (IllegalArgumentException e) {
            problems.invalid(node, path, t + ": " + e.getMessage(), SizeFormat.EXPECTED);
            return null;
        }
        if (v < min || v > max) {
            problems.invalid(node, path, t + " is out of range",
                    "from " + SizeFormat.format(min) + " to " + SizeFormat.format(max));
            return null;
        }
        return v;
    }

    Duration duration(YamlNode node, String path, Duration min, Duration max) {
        String t = text(node, path, DurationFormat.EXPECTED);
        if (t == null) {
            return null;
        }
        Duration v;
        try {
            v = DurationFormat.parse(t);
        } catch (IllegalArgumentException e) {
            problems.invalid(node, path, t + ": " + e.getMessage(), DurationFormat.EXPECTED);
            return null;
        }
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            problems.invalid(node, path, t + " is out of range",
                    "from " + DurationFormat.format(min) + " to " + DurationFormat.format(max));
            return null;
        }
        return v;
    }

    /** One of the option names (case-insensitive), else {@code null} (reported). */
    <E> E choice(YamlNode node, String path, Map<String, E> options) {
        String expected = oneOf(List.copyOf(options.keySet()));
        String t = text(node, path, expected);
        if (t == null) {
            return null;
        }
        E v = options.get(t.toLowerCase(Locale.ROOT));
        if (v == null) {
            problems.invalid(node, path, t, expected);
        }
        return v;
    }

    /** A path resolved against the config's directory; {@code ~/} is the user's home. */
    Path resolve(YamlNode node, String path, String text) {
        try {
            Path p;
            if (text.equals("~") || text.startsWith("~/")) {
                p = Path.of(System.getProperty("user.home")).resolve(text.length() > 2 ? text.substring(2) : "");
            } else {
                p = baseDir.resolve(text);
            }
            return p.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.invalid(node, path, text + " is not a valid path", "a file system path");
            return null;
        }
    }

    /** A readable regular file that exists now, else {@code null} (reported). */
    Path existingFile(YamlNode node, String path) {
        String t = text(node, path, "a file path");
        Path p = t == null ? null : resolve(node, path, t);
        if (p == null) {
            return null;
        }
        if (!Files.exists(p)) {
            problems.invalid(node, path, p + " does not exist", "a readable file");
        } else if (!Files.isRegularFile(p)) {
            problems.invalid(node, path, p + " is not a regular file", "a readable file");
        } else if (!Files.isReadable(p)) {
            problems.invalid(node, path, p + " is not readable", "a readable file");
        } else {
            return p;
        }
        return null;
    }

    /** A readable directory that exists now, else {@code null} (reported). */
    Path existingDirectory(YamlNode node, String path) {
        String t = text(node, path, "a directory path");
        Path p = t == null ? null : resolve(node, path, t);
        if (p == null) {
            return null;
        }
        if (!Files.exists(p)) {
            problems.invalid(node, path, p + " does not exist", "a readable directory");
        } else if (!Files.isDirectory(p)) {
            problems.invalid(node, path, p + " is not a directory", "a readable directory");
        } else if (!Files.isReadable(p) || !Files.isExecutable(p)) {
            problems.invalid(node, path, p + " is not readable", "a readable directory");
        } else {
            return p;
        }
        return null;
    }

    /** Options for {@link #choice}: each constant by its lower-case name, in declaration order. */
    static <E extends Enum<E>> Map<String, E> enumOptions(Class<E> type) {
        Map<String, E> out = new java.util.LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            out.put(e.name().toLowerCase(Locale.ROOT), e);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** {@code a, b or c}. */
    static String oneOf(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static String range(String what, long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return what + " >= " + min;
        }
        return what + " from " + min + " to " + max;
    }
}
