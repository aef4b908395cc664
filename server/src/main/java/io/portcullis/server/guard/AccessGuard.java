package io.portcullis.server.guard;

import io.portcullis.config.AccessConfig;
import io.portcullis.config.Cidr;
import java.net.InetAddress;

/**
 * The IP allow/deny check of a request: the site's rules, then the route's. Runs in the protocol-independent
 * dispatcher after the path is normalised and the route chosen, so {@code /%61dmin} meets the rules of {@code /admin/*}
 * and HTTP/1.1, HTTP/2 and HTTP/3 are guarded alike.
 */
public final class AccessGuard {
    private AccessGuard() {
    }

    /**
     * Why a request is refused and what the client gets.
     *
     * @param action FORBIDDEN (403) or CLOSE
     * @param rule   the rule that refused it, for logs: {@code site deny 10.0.0.0/8}, {@code route 2 allow}
     */
    public record Denial(AccessConfig.Denied action, String rule) {
    }

    /**
     * @param route      the route's rules, or {@code null} when no route matched
     * @param routeIndex the route's index, for the rule name in a denial
     * @return {@code null} when the address may pass both
     */
    public static Denial check(AccessConfig site, AccessConfig route, int routeIndex, InetAddress address,
                               String ja4) {
        boolean routeRules = route != null && !route.isEmpty();
        if (site.isEmpty() && !routeRules) {
            return null; // before getAddress(), which copies the address bytes: most requests meet no rules at all
        }
        byte[] bytes = address.getAddress();
        Denial d = check(site, "site", bytes, ja4);
        if (d == null && routeRules) {
            d = check(route, "route " + routeIndex, bytes, ja4);
        }
        return d;
    }

    static Denial check(AccessConfig rules, String scope, byte[] address, String ja4) {
        if (rules.isEmpty()) {
            return null;
        }
        if (ja4 != null && rules.denyJa4().contains(ja4)) {
            return new Denial(rules.denied(), scope + " deny_ja4 " + ja4);
        }
        for (Cidr c : rules.deny()) {
            if (c.contains(address)) {
                return new Denial(rules.denied(), scope + " deny " + c);
            }
        }
        if (rules.allow().isEmpty()) {
            return null;
        }
        for (Cidr c : rules.allow()) {
            if (c.contains(address)) {
                return null;
            }
        }
        return new Denial(rules.denied(), scope + " allow");
    }
}
