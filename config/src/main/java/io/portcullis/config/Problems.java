package io.portcullis.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems during one load so that all of them are reported together. Internal to the loader. */
final class Problems {
    private final String file;
    private final List<ConfigProblem> list = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, int column, String message) {
        list.add(new ConfigProblem(file, line, column, message));
    }

    void add(YamlNode at, String message) {
        add(at.line(), at.column(), message);
    }

    void add(YamlNode.Key at, String message) {
        add(at.line(), at.column(), message);
    }

    /** {@code path: what (expected: expected)} at the node. */
    void invalid(YamlNode at, String path, String what, String expected) {
        add(at, path + ": " + what + " (expected: " + expected + ")");
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    void throwIfAny() throws ConfigException {
        if (!list.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(list);
            sorted.sort(ConfigProblem.BY_LOCATION);
            throw new ConfigException(sorted);
        }
    }
}
