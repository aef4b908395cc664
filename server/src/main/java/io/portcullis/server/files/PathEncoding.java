package io.portcullis.server.files;

import java.nio.charset.StandardCharsets;

/** Percent-encodes a decoded path for a {@code Location} header (RFC 3986 path characters stay as they are). */
final class PathEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathEncoding() {
    }

    static void appendEncodedPath(StringBuilder out, String decodedPath) {
        for (byte b : decodedPath.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isPathChar(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    /** unreserved / sub-delims / ":" / "@" / "/" from RFC 3986 section 3.3. */
    private static boolean isPathChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }
}
