package io.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket per key on a route: {@code requests} tokens are added every {@code per}, up to {@code burst}; each
 * request takes one; an empty bucket answers 429 with {@code Retry-After}.
 *
 * @param requests how many requests per {@code per}, at least 1
 * @param per      the period, {@code 1s}, {@code 1m}, {@code 1h} or {@code 1d}
 * @param burst    the bucket size: requests allowed at once after a quiet spell; default {@code requests}
 * @param key      what gets its own bucket
 * @param header   the header name when {@code key} is {@link Key#HEADER}, else {@code null}
 */
public record RateLimitConfig(long requests, Duration per, long burst, Key key, String header) {
    public enum Key {
        /** The client's address (after trusted proxies). */
        ADDRESS,
        /** The value of a request header, e.g. an API key; requests without it are counted by address. */
        HEADER,
        /** One bucket for the whole route, whoever asks. */
        ROUTE,
        /** The TLS client fingerprint (JA4): one bucket per client software; without one, by address. */
        JA4
    }

    public RateLimitConfig {
        Objects.requireNonNull(per, "per");
        Objects.requireNonNull(key, "key");
        if (requests < 1 || burst < 1) {
            throw new IllegalArgumentException("requests and burst must be at least 1");
        }
    }

    /** Nanoseconds for one token to come back. */
    public double nanosPerToken() {
        return (double) per.toNanos() / requests;
    }
}
