package io.portcullis.server.route;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host name to site: exact name first, then a one-label wildcard ({@code *.example.com} matches
 * {@code a.example.com}, not {@code a.b.example.com} nor {@code example.com}), then the default site.
 */
public final class SiteTable {
    private final Map<String, Site> exact = new HashMap<>();
    private final Map<String, Site> wildcard = new HashMap<>();
    private final Site defaultSite;
    private final List<Site> all;

    public SiteTable(List<Site> sites) {
        this.all = List.copyOf(sites);
        Site chosenDefault = null;
        for (Site site : sites) {
            for (String host : site.config().hosts()) {
                if (host.startsWith("*.")) {
                    wildcard.putIfAbsent(host.substring(2), site);
                } else {
                    exact.putIfAbsent(host, site);
                }
            }
            if (site.config().isDefault() && chosenDefault == null) {
                chosenDefault = site;
            }
        }
        this.defaultSite = chosenDefault != null ? chosenDefault : sites.isEmpty() ? null : sites.get(0);
    }

    /** Never null while at least one site is configured. */
    public Site lookup(String host) {
        if (host != null) {
            Site site = exact.get(host);
            if (site != null) {
                return site;
            }
            int dot = host.indexOf('.');
            if (dot > 0) {
                site = wildcard.get(host.substring(dot + 1));
                if (site != null) {
                    return site;
                }
            }
        }
        return defaultSite;
    }

    /** Every site, in config order. */
    public List<Site> all() {
        return all;
    }

    public Site defaultSite() {
        return defaultSite;
    }
}
