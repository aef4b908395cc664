package io.portcullis.server;

import io.portcullis.certs.CertStore;
import io.portcullis.config.HandlerConfig;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.RouteConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.server.filter.ResponseHeaderPolicy;
import io.portcullis.server.handlers.HandlerFactory;
import io.portcullis.server.http3.AltSvc;
import io.portcullis.server.http.Handler;
import io.portcullis.server.log.AccessLog;
import io.portcullis.server.guard.ClientAddressResolver;
import io.portcullis.server.guard.ban.BanList;
import io.portcullis.server.guard.ratelimit.LocalRateLimitStore;
import io.portcullis.server.guard.ratelimit.RateLimitStore;
import io.portcullis.server.log.AuditLog;
import io.portcullis.server.metrics.Metrics;
import io.portcullis.server.route.PathPattern;
import io.portcullis.server.route.Route;
import io.portcullis.server.route.Site;
import io.portcullis.server.route.SiteTable;
import java.util.ArrayList;
import java.util.List;

/**
 * One config compiled for serving: the site table with handler instances and header policies. Requests read the
 * current runtime once when their head arrives and keep it to the end, so a reload never changes a request midway.
 *
 * @param config    the config it was built from
 * @param sites     host to site
 * @param accessLog where finished requests go, or null
 * @param stats     process-wide counters
 * @param audit     where security events go, or null
 * @param rateLimits token buckets of the routes' rate limits; kept across reloads
 * @param bans      banned addresses and the event windows of the ban rules; kept across reloads; null for none
 * @param altSvc    the HTTP/3 advertisement, set while the UDP listener is up
 * @param metrics   the process's meters; kept across reloads
 */
public record ServerRuntime(PortcullisConfig config, SiteTable sites, AccessLog accessLog, ServerStats stats,
                            AuditLog audit, RateLimitStore rateLimits, BanList bans, AltSvc altSvc, Metrics metrics) {

    /** Without an audit log. */
    public ServerRuntime(PortcullisConfig config, SiteTable sites, AccessLog accessLog, ServerStats stats,
                         Metrics metrics) {
        this(config, sites, accessLog, stats, null, new LocalRateLimitStore(), null, new AltSvc(), metrics);
    }

    /** Records a security event when there is an audit log, and counts it for the ban rules. */
    public void audit(String event, java.net.InetSocketAddress address, String... fieldPairs) {
        record(event, address, fieldPairs);
        observe(event, address);
    }

    /** Records a security event in the audit log (when there is one) and the metrics, without feeding ban rules. */
    public void record(String event, java.net.InetSocketAddress address, String... fieldPairs) {
        if (audit != null) {
            audit.event(event, address, fieldPairs);
        }
        metrics.event(event);
    }

    /** A finished request's status: 401, 403 and 404 count for ban rules ({@code status_401}, ...). */
    public void statusSent(int status, java.net.InetSocketAddress client) {
        if ((status == 401 || status == 403 || status == 404) && !config.bans().rules().isEmpty()) {
            observe("status_" + status, client);
        }
    }

    private void observe(String event, java.net.InetSocketAddress address) {
        if (bans == null || config.bans().rules().isEmpty() || address == null || address.getAddress() == null
                || new ClientAddressResolver(config.trustedProxies()).isTrusted(address.getAddress())) {
            return;
        }
        bans.observe(event, address.getAddress().getHostAddress(), config.bans(), java.time.Instant.now(),
                (ban, reason) -> record("banned", address, "reason", reason, "until", ban.until().toString(),
                        "strikes", Integer.toString(ban.strikes())));
    }

    static ServerRuntime compile(PortcullisConfig config, CertStore certs, HandlerFactory handlers, AccessLog accessLog,
                                 ServerStats stats, AuditLog audit, RateLimitStore rateLimits, BanList bans,
                                 AltSvc altSvc, Metrics metrics) {
        List<Site> sites = new ArrayList<>();
        for (SiteConfig siteConfig : config.sites()) {
            List<Route> routes = new ArrayList<>();
            int index = 0;
            for (RouteConfig rc : siteConfig.routes()) {
                HandlerConfig hc = rc.handler();
                Handler handler = handlers.create(hc);
                long maxBody = rc.maxBodyBytes() != null ? rc.maxBodyBytes() : config.limits().maxBodyBytes();
                routes.add(new Route(index++, PathPattern.of(rc.path()), rc.methods(), maxBody, handler, rc));
            }
            boolean hstsOffByDefault = certs.usesLocalCa(siteConfig) || onlyLocalNames(siteConfig);
            ResponseHeaderPolicy policy = ResponseHeaderPolicy.of(siteConfig.hsts(), hstsOffByDefault,
                    siteConfig.headers());
            sites.add(new Site(siteConfig, List.copyOf(routes), policy, metrics.site(siteConfig.hosts().get(0))));
        }
        metrics.retainSites(sites.stream().map(Site::name).collect(java.util.stream.Collectors.toSet()));
        return new ServerRuntime(config, new SiteTable(sites), accessLog, stats, audit, rateLimits, bans, altSvc,
                metrics);
    }

    /**
     * A site answering only for localhost and IP literals: HSTS there would pin every local development server on
     * that name to HTTPS in the browser, so AUTO leaves it off.
     */
    private static boolean onlyLocalNames(SiteConfig site) {
        for (String host : site.hosts()) {
            boolean local = host.equals("localhost") || host.endsWith(".localhost") || host.indexOf(':') >= 0
                    || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
            if (!local) {
                return false;
            }
        }
        return true;
    }

    /** Closes the handlers (upstream pools, files) of a retired runtime. */
    void closeHandlers() {
        for (Site site : sites.all()) {
            site.routes().forEach(r -> r.handler().close());
        }
    }
}
