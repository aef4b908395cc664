package io.portcullis.server.route;

import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.config.SiteConfig;
import io.portcullis.server.filter.ResponseHeaderPolicy;
import io.portcullis.server.metrics.SiteMeters;
import java.util.List;

/**
 * A compiled site: routes in order and the response header policy.
 *
 * @param config        the site's config
 * @param routes        tried in order
 * @param headerPolicy  security headers, HSTS and the site's add/remove, precomputed
 * @param meters        its request counters and latency histogram
 */
public record Site(SiteConfig config, List<Route> routes, ResponseHeaderPolicy headerPolicy, SiteMeters meters) {

    /** The first route matching, or {@code null} (404). */
    public Route route(HttpMethod method, String path) {
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            if (route.matches(method, path)) {
                return route;
            }
        }
        return null;
    }

    /** True when some route would match the path with another method: the answer is 405, not 404. */
    public boolean pathMatchesOtherMethod(String path) {
        for (Route route : routes) {
            if (route.pattern() == null || route.pattern().matches(path)) {
                return true;
            }
        }
        return false;
    }

    public String name() {
        return config.hosts().get(0);
    }
}
