package io.portcullis.config;

import java.util.List;
import java.util.Locale;

/**
 * Whether a public CA can certify a host name. Such a CA validates a name by reaching it through public DNS, so IP
 * addresses, {@code localhost}, single-label names and the suffixes reserved for private networks (RFC 6762
 * {@code .local}, RFC 8375 {@code .home.arpa}, ICANN's {@code .internal}, the customary {@code .lan}, RFC 6761's
 * {@code .localhost}, {@code .invalid} and {@code .test}, RFC 2606's {@code .example}) can never get one. Wildcards
 * need DNS-01, which Portcullis does not answer.
 */
public final class PublicNames {
    private static final List<String> PRIVATE_SUFFIXES = List.of(".local", ".localhost", ".internal", ".lan",
            ".home.arpa", ".invalid", ".test", ".example", ".intranet", ".corp", ".private");

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

    /**
     * Why a site with these hosts cannot have an ACME certificate (the first name that stops it), or {@code null} when
     * all are public. A site without {@code tls:} gets the local CA for this reason, which the server logs at start.
     */
    public static String whyLocalCa(List<String> hosts) {
        if (hosts.isEmpty()) {
            return "it has no host names (it answers any name)";
        }
        return hosts.stream().map(PublicNames::whyNotPublic).filter(java.util.Objects::nonNull).findFirst()
                .orElse(null);
    }
}
