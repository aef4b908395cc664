package io.portcullis.config;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with a configuration, located in its source.
 *
 * @param file    the source name: the config file's path, or the name given to {@link ConfigLoader#loadString}
 * @param line    1-based line of the offending value (or key, for unknown and duplicate keys)
 * @param column  1-based column
 * @param message {@code what was wrong (expected: what is allowed)}, starting with the key path, e.g.
 *                {@code tls.min_version: TLSv1.0 (expected: TLSv1.2 or TLSv1.3; ...)}
 */
public record ConfigProblem(String file, int line, int column, String message) {
    /** Orders by line, then column; problems found in one pass are reported in this order. */
    public static final Comparator<ConfigProblem> BY_LOCATION =
            Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column);

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** Exactly {@code file:line:col: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
