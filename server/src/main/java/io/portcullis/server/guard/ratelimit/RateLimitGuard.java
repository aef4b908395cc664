package io.portcullis.server.guard.ratelimit;

import io.portcullis.config.RateLimitConfig;
import io.portcullis.server.http.Request;

/** Applies a route's rate limit to a request: picks the bucket key and asks the store. */
public final class RateLimitGuard {
    private RateLimitGuard() {
    }

    /**
     * @param routeId a stable name of the route (site and index), so each route has its own buckets
     * @param ja4     the connection's TLS fingerprint, or null
     * @return 0 when the request passes, else nanoseconds until it would
     */
    public static long check(RateLimitStore store, RateLimitConfig limit, String routeId, Request request,
                             String ja4) {
        String key = switch (limit.key()) {
            case ROUTE -> "";
            case JA4 -> ja4 == null ? "a:" + request.remote().getAddress().getHostAddress() : "j:" + ja4;
            case HEADER -> {
                String v = request.headers().get(limit.header());
                yield v == null ? "a:" + request.remote().getAddress().getHostAddress() : "h:" + v;
            }
            case ADDRESS -> "a:" + request.remote().getAddress().getHostAddress();
        };
        return store.tryAcquire(routeId + '|' + key, limit, System.nanoTime());
    }

    /** {@code Retry-After} seconds: whole seconds, rounded up, at least 1. */
    public static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }
}
