package io.portcullis.config;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Syntax checks for host names, header names and values, and methods. Internal to the loader. */
final class HttpSyntax {
    private HttpSyntax() {
    }

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Headers the server manages itself (framing and connection handling); a config may not add them. */
    static final Set<String> MANAGED_HEADERS = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "upgrade", "te", "trailer", "proxy-connection", "host");

    static final String HOST_EXPECTED = "a DNS name like example.com, a wildcard like *.example.com, localhost"
            + " or an IP address";

    /** An RFC 9110 token: header names and methods. */
    static boolean isToken(String s) {
        return TOKEN.matcher(s).matches();
    }

    /** A header value: no control characters except tab. */
    static boolean isHeaderValue(String s) {
        return s.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
    }

    /**
     * A site host name in canonical form: lower case, no trailing dot, IDNs in ASCII ({@code xn--}), IPv6 without
     * brackets.
     *
     * @param allowWildcard accept {@code *.} as the whole first label
     * @throws IllegalArgumentException with a short reason
     */
    static String host(String text, boolean allowWildcard) {
        String h = text.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.contains(":")) {
            return ipv6(h);
        }
        if (IPV4.matcher(h).matches()) {
            for (String part : h.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("not a valid IPv4 address");
                }
            }
            return h;
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        boolean wildcard = h.startsWith("*.");
        String rest = wildcard ? h.substring(2) : h;
        if (rest.contains("*")) {
            throw new IllegalArgumentException("a wildcard may only be the whole first label, as in *.example.com");
        }
        if (wildcard && !allowWildcard) {
            throw new IllegalArgumentException("a wildcard is not allowed here");
        }
        if (wildcard && !rest.contains(".") && !rest.equals("localhost")) {
            throw new IllegalArgumentException("a wildcard needs at least two labels after it");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(rest, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid host name");
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw new IllegalArgumentException("not a valid host name");
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a valid host name");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a valid host name or IP address");
        }
        return wildcard ? "*." + ascii : ascii;
    }

    static boolean isIpAddress(String canonicalHost) {
        return canonicalHost.contains(":") || IPV4.matcher(canonicalHost).matches();
    }

    private static String ipv6(String h) {
        if (h.contains("%") || !h.matches("[0-9a-f:.]+")) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        try {
            // Brackets make the JDK parse a literal and never ask DNS.
            InetAddress.getByName("[" + h + "]");
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        return h;
    }
}
