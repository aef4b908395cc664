package io.portcullis.server.guard.ratelimit;

import io.portcullis.config.RateLimitConfig;

/**
 * Where token buckets live. The local store keeps them in memory; a cluster backend (Redis) can implement the same
 * call so that several instances share one limit. Implementations must be thread-safe and must not block for long:
 * they are called on event loops.
 */
public interface RateLimitStore {
    /**
     * Takes one token from the bucket {@code key} with the limit's rate and burst.
     *
     * @param nowNanos a monotonic clock reading ({@link System#nanoTime()})
     * @return 0 when the request may pass, else the nanoseconds until a token is back (for {@code Retry-After})
     */
    long tryAcquire(String key, RateLimitConfig limit, long nowNanos);

    /** How many buckets are held, for tests and metrics. */
    int size();
}
