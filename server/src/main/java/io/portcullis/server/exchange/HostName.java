package io.portcullis.server.exchange;

import java.util.Locale;

/**
 * Parses a Host header or :authority value into a lower-case host without port. Rejects what no real client sends
 * (spaces, userinfo, control characters, bad ports) so that host-based routing cannot be confused.
 */
public final class HostName {
    /**
     * Recent results, direct-mapped by hash: clients send the same few authorities over and over, and parsing one
     * with a port copies its host out every time. Entries are immutable, so racing event loops see an old entry, a
     * new one or none, never a torn one.
     */
    private static final Parsed[] RECENT = new Parsed[64];

    private record Parsed(String authority, String host) {
    }

    private HostName() {
    }

    /** The lower-case host (IPv6 literals keep their brackets), or {@code null} when the value is not a valid authority. */
    public static String parse(String authority) {
        if (authority == null) {
            return null;
        }
        int slot = authority.hashCode() & (RECENT.length - 1);
        Parsed recent = RECENT[slot];
        if (recent != null && recent.authority.equals(authority)) {
            return recent.host;
        }
        String host = parseUncached(authority);
        if (host != null) {
            RECENT[slot] = new Parsed(authority, host);
        }
        return host;
    }

    private static String parseUncached(String authority) {
        if (authority.isEmpty() || authority.length() > 261) {
            return null;
        }
        String host;
        String port = null;
        if (authority.charAt(0) == '[') {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    return null;
                }
                port = rest.substring(1);
            }
            for (int i = 1; i < host.length() - 1; i++) {
                char c = host.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return null;
                }
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty()) {
                return null;
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                        || c == '_';
                if (!ok) {
                    return null;
                }
            }
        }
        if (port != null && !validPort(port)) {
            return null;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    private static boolean validPort(String port) {
        if (port.isEmpty() || port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(port) <= 65535;
    }
}
