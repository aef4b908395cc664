package io.portcullis.server.route;

import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.config.RouteConfig;
import io.portcullis.server.http.Handler;
import java.util.Set;

/**
 * A compiled route: its match, its body limit and its handler instance.
 *
 * @param index        position in the site's route list, for logs
 * @param pattern      {@code null} for every path
 * @param methods      empty for every method
 * @param maxBodyBytes effective body limit
 * @param handler      the handler
 * @param config       the route's config, for diagnostics
 */
public record Route(int index, PathPattern pattern, Set<String> methods, long maxBodyBytes, Handler handler,
                    RouteConfig config) {

    public boolean matches(HttpMethod method, String path) {
        return (methods.isEmpty() || methods.contains(method.name())) && (pattern == null || pattern.matches(path));
    }
}
