package io.portcullis.server.log;

/** Renders one entry as one line (without the newline). */
@FunctionalInterface
public interface AccessLogFormat {
    void format(AccessLogEntry entry, StringBuilder out);
}
