package io.portcullis.server.exchange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Turns a request path as sent ({@code /a/./b/../%63}) into the one routing, access control and files see
 * ({@code /a/c}). Done once, before routing, so that no later stage can be fooled by a different spelling of the same
 * path: percent-decoding (UTF-8, malformed escapes and encoded NUL rejected), then {@code .}/{@code ..} segments
 * resolved and repeated slashes merged, like nginx's {@code merge_slashes}. Decoding happens before dot-segment
 * removal, so {@code %2e%2e} and {@code ..%2f} cannot climb out either.
 */
public final class PathNormalizer {
    private PathNormalizer() {
    }

    /** The normalised path, or {@code null} when the path is malformed or climbs above the root. */
    public static String normalize(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        String decoded = rawPath.indexOf('%') < 0 ? rawPath : percentDecode(rawPath);
        if (decoded == null || decoded.indexOf('\0') >= 0) {
            return null;
        }
        if (isAlreadyNormal(decoded)) {
            return decoded;
        }
        return removeDotSegments(decoded);
    }

    /** Fast path: no "//", no "/." segment start, so nothing to resolve. */
    private static boolean isAlreadyNormal(String path) {
        for (int i = 0; i < path.length() - 1; i++) {
            if (path.charAt(i) == '/') {
                char next = path.charAt(i + 1);
                if (next == '/' || next == '.') {
                    return false;
                }
            }
        }
        return true;
    }

    private static String removeDotSegments(String path) {
        String[] parts = path.split("/", -1);
        String[] out = new String[parts.length];
        int depth = 0;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            boolean lastPart = i == parts.length - 1;
            if (part.isEmpty() && !lastPart) {
                continue;
            }
            if (part.equals(".")) {
                if (lastPart) {
                    out[depth++] = "";
                }
                continue;
            }
            if (part.equals("..")) {
                if (depth == 0) {
                    return null;
                }
                depth--;
                if (lastPart) {
                    out[depth++] = "";
                }
                continue;
            }
            out[depth++] = part;
        }
        StringBuilder sb = new StringBuilder(path.length());
        for (int i = 0; i < depth; i++) {
            sb.append('/').append(out[i]);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    private static String percentDecode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(enc, 0, enc.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
