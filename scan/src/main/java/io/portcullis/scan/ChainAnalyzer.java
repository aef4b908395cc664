package io.portcullis.scan;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Judges a chain exactly as served: does it reach a trust anchor (or a served root) using only what the server
 * sent (completeness), is it sent leaf first with each certificate followed by its issuer (order), and did the
 * server send certificates that belong to no path (extras). Browsers repair order and fetch missing intermediates
 * through AIA; curl, Java, Go and most API clients do neither, which is why these are findings at all.
 */
final class ChainAnalyzer {
    /** The verdict. {@code issues} is empty for a complete chain in order with no extras. */
    record Result(boolean complete, boolean inOrder, List<String> issues) {
    }

    private ChainAnalyzer() {
    }

    static Result analyze(List<X509Certificate> served, Collection<X509Certificate> anchors) {
        List<String> issues = new ArrayList<>();
        List<Integer> path = new ArrayList<>(List.of(0));
        X509Certificate current = served.get(0);
        boolean complete = false;
        while (true) {
            if (selfSigned(current)) {
                complete = true; // a served root ("contains anchor", as SSL Labs says): harmless
                break;
            }
            int next = -1;
            for (int i = 0; i < served.size(); i++) {
                if (!path.contains(i) && issuedBy(current, served.get(i))) {
                    next = i;
                    break;
                }
            }
            if (next < 0 && issuedByAny(current, anchors)) {
                complete = true;
                break;
            }
            if (next < 0) {
                issues.add("incomplete: the issuer of '" + name(current) + "' ('"
                        + current.getIssuerX500Principal().getName() + "') is neither served nor a trust anchor");
                break;
            }
            path.add(next);
            current = served.get(next);
        }
        boolean inOrder = true;
        for (int i = 0; i < path.size(); i++) {
            inOrder &= path.get(i) == i;
        }
        if (!inOrder) {
            issues.add("out of order: served as " + served.stream().map(ChainAnalyzer::name).toList()
                    + ", each certificate must be followed by its issuer");
        }
        for (int i = 0; i < served.size(); i++) {
            if (!path.contains(i)) {
                issues.add("extra certificate not part of the path: '" + name(served.get(i)) + "'");
            }
        }
        return new Result(complete, inOrder, List.copyOf(issues));
    }

    private static boolean issuedByAny(X509Certificate cert, Collection<X509Certificate> anchors) {
        return anchors.stream().anyMatch(a -> issuedBy(cert, a));
    }

    /** Name match plus a signature check: names alone would accept a same-named impostor or a re-keyed CA. */
    static boolean issuedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static boolean selfSigned(X509Certificate c) {
        return issuedBy(c, c);
    }

    private static String name(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }
}
