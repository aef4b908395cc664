package io.portcullis.config;

import java.util.List;
import java.util.Locale;

/**
 * Whether a public CA can certify a host name. Such a CA validates a name by reaching it through public DNS, so IP
 * addresses, {@code localhost}, single-label names and the suffixes reserved for private networks (RFC 6762
 * {@code .local}, RFC 8375 {@code .home.arpa}, ICANN's {@code .internal}, the customary {@code .lan}, RFC 6761's
 * {@code .localhost} and {@code .invalid}) can never get one. Wildcards need DNS-01, which
 * Portcullis does not answer.
 */
public final class PublicNames {
    private static final List<String> PRIVATE_SUFFIXES = List.of(".local", ".localhost", ".internal", ".lan",
            ".home.arpa", ".invalid", ".intranet", ".corp", ".private");

    private PublicNames() {
    }

    /** {@code null} when ACME can certify {@code host}, else the reason it cannot (for log lines and errors). */
    public static String whyNotPublic(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.startsWith("*.")) {
            return host + " is a wildcard (needs DNS-01 validation, which Portcullis does not answer)";
        }
        if (HttpSyntax.isIpAddress(h)) {
            return host + " is an IP address";
        }
        if (h.equals("localhost")) {
            return host + " is this machine";
        }
        if (!h.contains(".")) {
            return host + " is a single-label name";
        }
        for (String suffix : PRIVATE_SUFFIXES) {
            if (h.endsWith(suffix)) {
                return host + " is an internal name (*" + suffix + ")";
            }
        }
        return null;
    }

    public static boolean isPublic(String host) {
        return whyNotPublic(host) == null;
    }
}
