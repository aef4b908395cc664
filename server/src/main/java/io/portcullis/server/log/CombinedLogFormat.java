package io.portcullis.server.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The NCSA Combined Log Format, as Apache and nginx write it, for tools that expect it. */
public final class CombinedLogFormat implements AccessLogFormat {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Override
    public void format(AccessLogEntry e, StringBuilder out) {
        out.append(e.clientIp()).append(" - - [").append(TIME.format(Instant.ofEpochMilli(e.timeMillis()))).append("] \"");
        out.append(safe(e.method())).append(' ').append(safe(e.uri())).append(' ').append(e.protocol()).append("\" ");
        out.append(e.status()).append(' ').append(e.bytes()).append(" \"");
        out.append(e.referer() == null ? "-" : safe(e.referer())).append("\" \"");
        out.append(e.userAgent() == null ? "-" : safe(e.userAgent())).append('"');
    }

    /** Escapes quotes and control characters so a hostile value cannot forge a log line. */
    private static String safe(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
