package io.portcullis.server.route;

/**
 * A route's path glob: {@code *} matches any run of characters, including {@code /}; without {@code *} the path must
 * be equal. Compiled once at config load into literal parts so matching allocates nothing.
 */
public final class PathPattern {
    private final String pattern;
    private final String[] parts;

    private PathPattern(String pattern) {
        this.pattern = pattern;
        this.parts = pattern.split("\\*", -1);
    }

    /** {@code null} pattern means "every path". */
    public static PathPattern of(String pattern) {
        return pattern == null ? null : new PathPattern(pattern);
    }

    public boolean matches(String path) {
        if (parts.length == 1) {
            return pattern.equals(path);
        }
        String first = parts[0];
        String last = parts[parts.length - 1];
        if (!path.startsWith(first) || path.length() < first.length() + last.length()) {
            return false;
        }
        int pos = first.length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = path.indexOf(parts[i], pos);
            if (found < 0) {
                return false;
            }
            pos = found + parts[i].length();
        }
        return path.length() - last.length() >= pos && path.endsWith(last);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
