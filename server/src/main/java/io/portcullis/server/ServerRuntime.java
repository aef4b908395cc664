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
 * @param altSvc    the HTTP/3 advertisement, set while the UDP listener is up
 */
public record ServerRuntime(PortcullisConfig config, SiteTable sites, AccessLog accessLog, ServerStats stats,
                            AltSvc altSvc) {

    public ServerRuntime(PortcullisConfig config, SiteTable sites, AccessLog accessLog, ServerStats stats) {
        this(config, sites, accessLog, stats, new AltSvc());
    }

    static ServerRuntime compile(PortcullisConfig config, CertStore certs, HandlerFactory handlers, AccessLog accessLog,
                                 ServerStats stats, AltSvc altSvc) {
        ServerRuntime rt = compile(config, certs, handlers, accessLog, stats);
        return new ServerRuntime(rt.config(), rt.sites(), rt.accessLog(), rt.stats(), altSvc);
    }

    static ServerRuntime compile(PortcullisConfig config, CertStore certs, HandlerFactory handlers, AccessLog accessLog,
                                 ServerStats stats) {
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
            sites.add(new Site(siteConfig, List.copyOf(routes), policy));
        }
        return new ServerRuntime(config, new SiteTable(sites), accessLog, stats);
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
