package io.portcullis.config;

import java.util.List;

/**
 * One site: the host names it answers for, its certificate(s), its response headers and its routes.
 *
 * @param hosts     exact names ({@code example.com}) and wildcards ({@code *.example.com}, one label); lower case
 * @param isDefault answers requests (and handshakes) whose name matches no site
 * @param tls       where the certificate comes from
 * @param hsts      Strict-Transport-Security for this site
 * @param headers   response headers added and removed for every response of this site
 * @param routes    tried in order; the first whose match fits handles the request; none fits: 404
 * @param access    client address rules for every request of the site (a route's own rules apply as well)
 * @param altSvc    advertise HTTP/3 with {@code Alt-Svc} on this site's h1/h2 responses (default true; also needs
 *                  {@code quic.alt_svc} and a running UDP listener)
 */
public record SiteConfig(
        List<String> hosts,
        boolean isDefault,
        SiteTlsConfig tls,
        HstsConfig hsts,
        HeadersConfig headers,
        List<RouteConfig> routes,
        AccessConfig access,
        boolean altSvc) {
    public SiteConfig {
        hosts = List.copyOf(hosts);
        routes = List.copyOf(routes);
        access = access == null ? AccessConfig.NONE : access;
    }

    /** Without address rules, with {@code alt_svc} on (the default). */
    public SiteConfig(List<String> hosts, boolean isDefault, SiteTlsConfig tls, HstsConfig hsts, HeadersConfig headers,
                      List<RouteConfig> routes) {
        this(hosts, isDefault, tls, hsts, headers, routes, AccessConfig.NONE, true);
    }
}
