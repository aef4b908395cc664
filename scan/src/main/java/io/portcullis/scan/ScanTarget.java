package io.portcullis.scan;

/**
 * What to scan: host and port, the SNI name to send (the host unless overridden), and an optional address that
 * bypasses DNS ({@code --ip}), as when testing a new server before the DNS switch.
 */
public record ScanTarget(String host, int port, String sni, String ip) {
    public ScanTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("empty host (expected: HOST[:PORT])");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " (expected: 1-65535)");
        }
    }

    /**
     * Parses {@code HOST}, {@code HOST:PORT}, {@code [V6]:PORT} or a bare IPv6 address; an {@code https://} prefix
     * and a trailing path are tolerated because people paste URLs.
     */
    public static ScanTarget parse(String spec, String sni, String ip) {
        String s = spec.trim();
        if (s.startsWith("https://")) {
            s = s.substring(8);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        String host = s;
        int port = 443;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(spec + ": unclosed '[' (expected: [IPV6]:PORT)");
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(spec + ": junk after ']' (expected: [IPV6]:PORT)");
                }
                port = parsePort(spec, s.substring(close + 2));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = parsePort(spec, s.substring(s.indexOf(':') + 1));
        }
        return new ScanTarget(host, port, sni, ip);
    }

    private static int parsePort(String spec, String p) {
        try {
            return Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": port '" + p + "' (expected: 1-65535)");
        }
    }

    /** The name sent as SNI and checked against the certificate. */
    public String sniName() {
        return sni != null ? sni : host;
    }

    public String display() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
