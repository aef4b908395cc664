package io.portcullis.server.guard.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.RateLimitConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalRateLimitStoreTest {
    private static final long SECOND = 1_000_000_000L;
    private final RateLimitConfig tenPerSecondBurstThree = new RateLimitConfig(10, Duration.ofSeconds(1), 3,
            RateLimitConfig.Key.ADDRESS, null);

    @Test
    void burstThenRefillAtTheRate() {
        LocalRateLimitStore store = new LocalRateLimitStore();
        long t = 5 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertThat(store.tryAcquire("k", tenPerSecondBurstThree, t)).isZero();
        }
        long wait = store.tryAcquire("k", tenPerSecondBurstThree, t);
        assertThat(wait).isEqualTo(SECOND / 10);
        assertThat(store.tryAcquire("k", tenPerSecondBurstThree, t + SECOND / 20)).isEqualTo(SECOND / 20);
        assertThat(store.tryAcquire("k", tenPerSecondBurstThree, t + SECOND / 10)).isZero();
        // A long quiet spell refills only up to the burst.
        long later = t + 60 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertThat(store.tryAcquire("k", tenPerSecondBurstThree, later)).isZero();
        }
        assertThat(store.tryAcquire("k", tenPerSecondBurstThree, later)).isPositive();
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        LocalRateLimitStore store = new LocalRateLimitStore();
        RateLimitConfig one = new RateLimitConfig(1, Duration.ofMinutes(1), 1, RateLimitConfig.Key.ADDRESS, null);
        assertThat(store.tryAcquire("a", one, 0)).isZero();
        assertThat(store.tryAcquire("a", one, 0)).isEqualTo(60 * SECOND);
        assertThat(store.tryAcquire("b", one, 0)).isZero();
    }

    @Test
    void memoryIsBoundedUnderManyAddresses() {
        LocalRateLimitStore store = new LocalRateLimitStore(16_000);
        RateLimitConfig one = new RateLimitConfig(1, Duration.ofHours(1), 1, RateLimitConfig.Key.ADDRESS, null);
        long before = usedHeap();
        for (int i = 0; i < 1_000_000; i++) {
            store.tryAcquire("a:10." + (i >>> 16) + "." + (i >>> 8 & 0xff) + "." + (i & 0xff), one, i);
        }
        assertThat(store.size()).isLessThanOrEqualTo(16_000);
        // The recently seen keys are still limited; the eldest were evicted.
        assertThat(store.tryAcquire("a:10.15.66.63", one, 2_000_000)).isPositive();
        assertThat(store.tryAcquire("a:10.0.0.0", one, 2_000_000)).isZero();
        assertThat(usedHeap() - before).isLessThan(64L << 20);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
