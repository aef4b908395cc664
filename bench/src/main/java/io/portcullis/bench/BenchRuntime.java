package io.portcullis.bench;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.RouteConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.ServerStats;
import io.portcullis.server.metrics.Metrics;
import io.portcullis.server.filter.ResponseHeaderPolicy;
import io.portcullis.server.handlers.HandlerFactory;
import io.portcullis.server.route.PathPattern;
import io.portcullis.server.route.Route;
import io.portcullis.server.route.Site;
import io.portcullis.server.route.SiteTable;
import io.portcullis.server.transport.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link ServerRuntime} from YAML the way the server does, from public API only. {@code ServerRuntime.compile}
 * is package-private, so its loop is repeated here (HSTS is taken as the config says; none of the benchmark sites use
 * local-name detection). When compile becomes public this class shrinks to one call.
 */
public final class BenchRuntime {
    /** Benchmarks pay for the request meters as the server does. */
    private static final Metrics METRICS = new Metrics();
    private BenchRuntime() {
    }

    /** A realistic front door: a handful of sites, exact and wildcard names, several routes each, one default. */
    public static final String MANY_SITES = """
            access_log: {output: off}
            sites:
              - hosts: [example.com, www.example.com, "*.example.com"]
                tls: internal
                hsts: on
                headers: {add: {Cache-Control: no-store, X-Frame-Options: DENY}, remove: [X-Powered-By]}
                routes:
                  - {path: /healthz, respond: ok}
                  - {path: /api/v1/users/*, methods: [GET, POST], respond: users}
                  - {path: /api/v1/orders/*, methods: [GET, POST, PUT], respond: orders}
                  - {path: /api/*, respond: api}
                  - {path: /assets/*, methods: [GET, HEAD], respond: assets}
                  - respond: {status: 200, body: "Hello, World!", content_type: text/plain}
              - hosts: [shop.test, "*.shop.test"]
                tls: internal
                routes:
                  - {path: /cart/*, respond: cart}
                  - respond: shop
              - hosts: [a.test, b.test, c.test, d.test, e.test, f.test, g.test, h.test]
                tls: internal
                routes:
                  - respond: letters
              - hosts: [localhost, 127.0.0.1]
                default: true
                tls: internal
                hsts: off
                routes:
                  - respond: {status: 200, body: "Hello, World!", content_type: text/plain}
            """;

    /** The load harness's config: one site, one respond route, the 13-byte body. */
    public static final String HELLO = """
            access_log: {output: off}
            sites:
              - hosts: [localhost, 127.0.0.1]
                default: true
                tls: internal
                hsts: off
                routes:
                  - respond: {status: 200, body: "Hello, World!", content_type: text/plain}
            """;

    public static ServerRuntime compile(String yaml) {
        PortcullisConfig config;
        try {
            config = ConfigLoader.loadString(yaml, "bench.yaml", Path.of("."));
        } catch (ConfigException e) {
            throw new IllegalStateException("benchmark config does not load: " + e.getMessage(), e);
        }
        HandlerFactory handlers = new HandlerFactory(Transport.NIO);
        List<Site> sites = new ArrayList<>();
        for (SiteConfig siteConfig : config.sites()) {
            List<Route> routes = new ArrayList<>();
            int index = 0;
            for (RouteConfig rc : siteConfig.routes()) {
                long maxBody = rc.maxBodyBytes() != null ? rc.maxBodyBytes() : config.limits().maxBodyBytes();
                routes.add(new Route(index++, PathPattern.of(rc.path()), rc.methods(), maxBody,
                        handlers.create(rc.handler()), rc));
            }
            ResponseHeaderPolicy policy = ResponseHeaderPolicy.of(siteConfig.hsts(), false, siteConfig.headers());
            sites.add(new Site(siteConfig, List.copyOf(routes), policy, METRICS.site(siteConfig.hosts().get(0))));
        }
        return new ServerRuntime(config, new SiteTable(sites), null, new ServerStats(), METRICS);
    }
}
