package io.portcullis.server.log;

import io.portcullis.config.AuditLogConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit log: security events as JSON lines, apart from the access log so they can be kept, shipped and alerted on
 * separately. Written asynchronously by the same {@link LogWriter} as the access log; callers on event loops never
 * block.
 */
public final class AuditLog implements AutoCloseable {
    private final LogWriter<AuditEvent> writer;

    private AuditLog(LogWriter<AuditEvent> writer) {
        this.writer = writer;
    }

    /** The configured log, or {@code null} when it is off. */
    public static AuditLog open(AuditLogConfig config) throws IOException {
        if (!config.enabled()) {
            return null;
        }
        return new AuditLog(new LogWriter<>("audit log", AuditLog::format, LogWriter.open(config.output())));
    }

    /**
     * Records an event.
     *
     * @param fieldPairs name, value, name, value, ...; null values are left out
     */
    public void event(String event, InetSocketAddress address, String... fieldPairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fieldPairs.length; i += 2) {
            if (fieldPairs[i + 1] != null) {
                fields.put(fieldPairs[i], fieldPairs[i + 1]);
            }
        }
        String ip = address == null || address.getAddress() == null ? null : address.getAddress().getHostAddress();
        writer.log(new AuditEvent(System.currentTimeMillis(), event, ip, fields));
    }

    static void format(AuditEvent e, StringBuilder out) {
        out.append("{\"time\":");
        JsonAccessLogFormat.appendString(out, Instant.ofEpochMilli(e.timeMillis()).toString());
        out.append(",\"event\":");
        JsonAccessLogFormat.appendString(out, e.event());
        if (e.address() != null) {
            out.append(",\"address\":");
            JsonAccessLogFormat.appendString(out, e.address());
        }
        for (Map.Entry<String, String> f : e.fields().entrySet()) {
            out.append(',');
            JsonAccessLogFormat.appendString(out, f.getKey());
            out.append(':');
            JsonAccessLogFormat.appendString(out, f.getValue());
        }
        out.append('}');
    }

    @Override
    public void close() {
        writer.close();
    }
}
