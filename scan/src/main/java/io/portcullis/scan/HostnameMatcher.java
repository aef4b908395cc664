package io.portcullis.scan;

import java.net.IDN;
import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * RFC 6125 host name matching as browsers do it: subjectAltName only (the CN is ignored when any SAN exists),
 * a wildcard only as the whole left-most label and matching exactly one label, IP addresses only against IP SANs.
 */
final class HostnameMatcher {
    private HostnameMatcher() {
    }

    static List<String> subjectAltNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) { // dNSName, iPAddress
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unparsable SAN extension matches nothing; the mismatch verdict says enough.
        }
        return out;
    }

    static boolean matches(X509Certificate cert, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        boolean ip = h.indexOf(':') >= 0 || h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        List<String> sans = subjectAltNames(cert);
        for (String san : sans) {
            if (ip ? sameAddress(san, h) : dnsMatch(san.toLowerCase(Locale.ROOT), IDN.toASCII(h))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static boolean dnsMatch(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            // "*.example.com" matches "a.example.com", never "example.com" or "a.b.example.com".
            return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2))
                    && pattern.substring(2).indexOf('.') > 0;
        }
        return pattern.equals(host);
    }
}
