package io.portcullis.tls.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The peer answered, but not with TLS: an SSH banner, a plain-HTTP error page, garbage. Carries a printable preview
 * of the first bytes so a report can say "not TLS: peer sent 'SSH-2.0-OpenSSH_9.2'" instead of a parse error.
 */
public class NotTlsException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String preview;

    public NotTlsException(byte[] firstBytes, int length) {
        super("not TLS: peer sent '" + printable(firstBytes, length) + "'");
        this.preview = printable(firstBytes, length);
    }

    public String preview() {
        return preview;
    }

    static String printable(byte[] b, int length) {
        String s = new String(b, 0, Math.min(length, 40), StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\r' || c == '\n') {
                break; // a banner's first line is what a human recognises
            }
            out.append(c >= 0x20 && c < 0x7F ? c : '.');
        }
        return out.toString();
    }
}
