package io.portcullis.server.log;

import io.portcullis.config.AccessLogConfig;
import java.io.IOException;

/** The access log: one line per finished request, written asynchronously by a {@link LogWriter}. */
public final class AccessLog implements AutoCloseable {
    private final LogWriter<AccessLogEntry> writer;

    private AccessLog(LogWriter<AccessLogEntry> writer) {
        this.writer = writer;
    }

    /** The configured log, or {@code null} when it is off. */
    public static AccessLog open(AccessLogConfig config) throws IOException {
        if (!config.enabled()) {
            return null;
        }
        AccessLogFormat format = config.format() == AccessLogConfig.Format.COMBINED
                ? new CombinedLogFormat() : new JsonAccessLogFormat();
        return new AccessLog(new LogWriter<>("access log", format::format, LogWriter.open(config.output())));
    }

    /** Called on event loops; never blocks. */
    public void log(AccessLogEntry entry) {
        writer.log(entry);
    }

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() {
        writer.close();
    }
}
