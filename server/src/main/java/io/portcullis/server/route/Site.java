package io.portcullis.server.route;

import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.config.SiteConfig;
import io.portcullis.server.filter.ResponseHeaderPolicy;
import io.portcullis.server.metrics.SiteMeters;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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

    /**
     * The methods some route accepts for {@code path}, sorted, for the {@code Allow} header of a 405 (RFC 9110
     * 15.5.6). Only meaningful when {@link #route} found nothing: a matching route without a method list would have
     * matched.
     */
    public Set<String> allowedMethods(String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : routes) {
            if (route.pattern() == null || route.pattern().matches(path)) {
                methods.addAll(route.methods());
            }
        }
        return methods;
    }

    public String name() {
        return config.hosts().get(0);
    }
}
