package io.portcullis.config;

import java.util.Set;

/**
 * One route: a match and the handler that answers it.
 *
 * @param path         {@code null} matches every path; otherwise a glob on the normalised path: {@code *} matches any
 *                     run of characters (including {@code /}), e.g. {@code /api/*}; without {@code *} the path must be
 *                     equal
 * @param methods      empty matches every method; otherwise upper-case method names
 * @param maxBodyBytes request body limit for this route; {@code null} uses {@link LimitsConfig#maxBodyBytes()}
 * @param handler      exactly one of proxy, static, redirect, respond
 * @param access       client address rules, checked after the site's
 * @param rateLimit    a token bucket per client (or header, or route); {@code null} for none
 * @param basicAuth    HTTP basic authentication; {@code null} for none
 */
public record RouteConfig(String path, Set<String> methods, Long maxBodyBytes, HandlerConfig handler,
                          AccessConfig access, RateLimitConfig rateLimit, BasicAuthConfig basicAuth) {
    public RouteConfig {
        methods = Set.copyOf(methods);
        access = access == null ? AccessConfig.NONE : access;
    }

    /** Without address rules. */
    public RouteConfig(String path, Set<String> methods, Long maxBodyBytes, HandlerConfig handler) {
        this(path, methods, maxBodyBytes, handler, AccessConfig.NONE, null, null);
    }

    /** Without basic authentication. */
    public RouteConfig(String path, Set<String> methods, Long maxBodyBytes, HandlerConfig handler,
                       AccessConfig access, RateLimitConfig rateLimit) {
        this(path, methods, maxBodyBytes, handler, access, rateLimit, null);
    }

    /** Without a rate limit. */
    public RouteConfig(String path, Set<String> methods, Long maxBodyBytes, HandlerConfig handler,
                       AccessConfig access) {
        this(path, methods, maxBodyBytes, handler, access, null, null);
    }
}
