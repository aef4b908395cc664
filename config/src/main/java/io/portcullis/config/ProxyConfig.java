package io.portcullis.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Reverse proxy to a pool of upstreams over HTTP/1.1 (plain or TLS).
 *
 * @param upstreams         {@code http://host:port} or {@code https://host:port}, at least one
 * @param balance           {@link Balance#ROUND_ROBIN} (default) or {@link Balance#LEAST_CONN}
 * @param connectTimeout    default 5 s; then the next upstream is tried once (idempotent requests), else 502
 * @param firstByteTimeout  time from request sent to response head received; default 60 s; then 504
 * @param idleTimeout       no bytes either way for this long mid-exchange: 504 if nothing was sent yet, else close;
 *                          also how long an idle pooled connection is kept; default 60 s
 * @param maxIdlePerUpstream pooled keep-alive connections kept per upstream per event loop; default 32
 * @param maxFails          consecutive failures that take an upstream out; default 3
 * @param failDuration      how long an upstream stays out; default 10 s
 * @param tls               verification settings for https upstreams
 */
public record ProxyConfig(
        List<URI> upstreams,
        Balance balance,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout,
        int maxIdlePerUpstream,
        int maxFails,
        Duration failDuration,
        UpstreamTlsConfig tls) implements HandlerConfig {
    public enum Balance { ROUND_ROBIN, LEAST_CONN }

    public ProxyConfig {
        upstreams = List.copyOf(upstreams);
    }
}
