package io.portcullis.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Host names and IP literals as they appear in subjectAltName, normalised so they can be compared. */
public final class SubjectNames {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private SubjectNames() {
    }

    /** {@code 127.0.0.1}, {@code ::1} and {@code [::1]} are IP literals; {@code localhost} is not. */
    public static boolean isIpLiteral(String name) {
        String n = stripBrackets(name.trim().toLowerCase(Locale.ROOT));
        return IPV4.matcher(n).matches() || IPV6.matcher(n).matches();
    }

    /**
     * Lower case without a trailing dot for DNS names; the JDK's canonical text for IP literals (so {@code ::1}
     * and {@code 0:0:0:0:0:0:0:1} compare equal).
     */
    public static String normalize(String name) {
        String n = stripBrackets(name.trim().toLowerCase(Locale.ROOT));
        if (isIpLiteral(n)) {
            try {
                return InetAddress.getByAddress(ipBytes(n)).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + name, e);
            }
        }
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** The raw address of an IP literal; never does a DNS lookup. */
    public static byte[] ipBytes(String literal) {
        String n = stripBrackets(literal.trim());
        if (!isIpLiteral(n)) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
        try {
            return InetAddress.getByName(n).getAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }

    /** The DNS and IP subjectAltNames of {@code cert}, normalised, in certificate order. */
    public static Set<String> of(X509Certificate cert) {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return names;
            }
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                if (type == SAN_DNS || type == SAN_IP) {
                    names.add(normalize((String) san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unparsable subjectAltName in " + cert.getSubjectX500Principal(), e);
        }
        return names;
    }

    /** Normalises each of {@code names}, keeping order and dropping duplicates. */
    public static Set<String> normalizeAll(Collection<String> names) {
        Set<String> out = new LinkedHashSet<>();
        names.forEach(n -> out.add(normalize(n)));
        return out;
    }

    private static String stripBrackets(String n) {
        return n.startsWith("[") && n.endsWith("]") ? n.substring(1, n.length() - 1) : n;
    }
}
