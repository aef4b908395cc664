package io.portcullis.config;

/**
 * @param output {@code stdout} (default), {@code off}, or a file path (appended to)
 * @param format {@link Format#JSON} (default: one JSON object a line) or {@link Format#COMBINED}
 */
public record AccessLogConfig(String output, Format format) {
    public enum Format { JSON, COMBINED }

    public boolean enabled() {
        return !"off".equals(output);
    }
}
