package io.portcullis.server.guard.ratelimit;

import io.portcullis.config.RateLimitConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets in memory, in a bounded number of least-recently-used maps (stripes, to keep event loops from
 * contending on one lock). Memory is capped: a client sending from a million spoofed or rotating addresses evicts the
 * least recently seen buckets instead of growing the map. An evicted bucket starts full again when its key returns,
 * which only ever errs toward letting a request through.
 */
public final class LocalRateLimitStore implements RateLimitStore {
    /** The default cap: about 100 bytes a bucket, so some 10 MB at most. */
    public static final int DEFAULT_MAX_BUCKETS = 100_000;
    private static final int STRIPES = 16;

    private final Stripe[] stripes = new Stripe[STRIPES];

    public LocalRateLimitStore() {
        this(DEFAULT_MAX_BUCKETS);
    }

    public LocalRateLimitStore(int maxBuckets) {
        int perStripe = Math.max(1, maxBuckets / STRIPES);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(perStripe);
        }
    }

    @Override
    public long tryAcquire(String key, RateLimitConfig limit, long nowNanos) {
        Stripe stripe = stripes[(key.hashCode() & 0x7fffffff) % STRIPES];
        synchronized (stripe) {
            Bucket b = stripe.get(key);
            double nanosPerToken = limit.nanosPerToken();
            if (b == null) {
                b = new Bucket(limit.burst(), nowNanos);
                stripe.put(key, b);
            } else {
                double refill = (nowNanos - b.updatedNanos) / nanosPerToken;
                b.tokens = Math.min(limit.burst(), b.tokens + refill);
                b.updatedNanos = nowNanos;
            }
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) * nanosPerToken));
        }
    }

    @Override
    public int size() {
        int n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size();
            }
        }
        return n;
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long updatedNanos) {
            this.tokens = tokens;
            this.updatedNanos = updatedNanos;
        }
    }

    private static final class Stripe extends LinkedHashMap<String, Bucket> {
        private final int max;

        Stripe(int max) {
            super(64, 0.75f, true);
            this.max = max;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > max;
        }
    }
}
