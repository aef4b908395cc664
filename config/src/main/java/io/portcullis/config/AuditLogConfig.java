package io.portcullis.config;

import java.util.Objects;

/**
 * Where security events go.
 *
 * @param output {@code off}, {@code stdout}, or a file path (appended to); default {@code <data_dir>/audit.log}
 */
public record AuditLogConfig(String output) {
    public static final String DEFAULT_FILE = "audit.log";

    public AuditLogConfig {
        Objects.requireNonNull(output, "output");
    }

    public boolean enabled() {
        return !"off".equals(output);
    }
}
