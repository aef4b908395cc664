package io.portcullis.server.log;

import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line with stable field names: time, request_id, client_ip, host, method, uri, status, bytes,
 * duration_ms, protocol, tls_version, tls_cipher, user_agent, referer, then handler attributes (e.g. upstream).
 */
public final class JsonAccessLogFormat implements AccessLogFormat {
    @Override
    public void format(AccessLogEntry e, StringBuilder out) {
        out.append('{');
        field(out, "time", Instant.ofEpochMilli(e.timeMillis()).toString(), true);
        field(out, "request_id", e.requestId(), false);
        field(out, "client_ip", e.clientIp(), false);
        field(out, "host", e.host(), false);
        field(out, "method", e.method(), false);
        field(out, "uri", e.uri(), false);
        out.append(",\"status\":").append(e.status());
        out.append(",\"bytes\":").append(e.bytes());
        out.append(",\"duration_ms\":").append(e.durationMicros() / 1000).append('.');
        long frac = e.durationMicros() % 1000;
        out.append(frac < 100 ? frac < 10 ? "00" : "0" : "").append(frac);
        field(out, "protocol", e.protocol(), false);
        field(out, "tls_version", e.tlsVersion(), false);
        field(out, "tls_cipher", e.tlsCipher(), false);
        field(out, "user_agent", e.userAgent(), false);
        field(out, "referer", e.referer(), false);
        for (Map.Entry<String, String> attr : e.attributes().entrySet()) {
            field(out, attr.getKey(), attr.getValue(), false);
        }
        out.append('}');
    }

    private static void field(StringBuilder out, String name, String value, boolean first) {
        if (value == null) {
            return;
        }
        if (!first) {
            out.append(',');
        }
        out.append('"').append(name).append("\":");
        appendString(out, value);
    }

    static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
