package io.portcullis.certs.acme;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to renew and when to try again. Renewal: inside the CA's ARI window when it offers one (at a point fixed per
 * certificate, so many servers with one CA spread out as RFC 9773 4.2 asks), else once {@code ratio} (2/3) of the
 * lifetime has passed, which leaves a 90-day certificate a month of retries. Retries: exponential backoff with jitter
 * from {@code acme.retry_base} (one minute) to one day, never earlier than the CA's {@code Retry-After}.
 */
final class RenewalPolicy {
    static final Duration MAX_RETRY = Duration.ofDays(1);

    private RenewalPolicy() {
    }

    static Instant renewAt(X509Certificate leaf, double ratio, AcmeClient.RenewalWindow ari) {
        if (ari != null && ari.start() != null && ari.end() != null && !ari.end().isBefore(ari.start())) {
            long span = Duration.between(ari.start(), ari.end()).toMillis();
            // The serial's hash picks the point, so every check of one certificate sees the same moment.
            double fraction = (leaf.getSerialNumber().hashCode() & 0x7fffffff) / (double) Integer.MAX_VALUE;
            return ari.start().plusMillis((long) (span * fraction));
        }
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        long lifetime = Duration.between(notBefore, notAfter).toMillis();
        return notBefore.plusMillis((long) (lifetime * ratio));
    }

    /**
     * The delay before attempt number {@code failures + 1}: {@code first} (1 min by default), twice that, four times,
     * ... capped at a day, each stretched by up to a quarter at random so instances that failed together do not retry
     * together.
     */
    static Duration backoff(Duration first, int failures) {
        int exp = Math.min(Math.max(failures - 1, 0), 20);
        long base = Math.min(first.toMillis() << exp, MAX_RETRY.toMillis());
        long jitter = (long) (base * 0.25 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(base + jitter);
    }

    /** The next attempt: after the backoff, and not before the CA's Retry-After. */
    static Instant nextAttempt(Instant now, Duration first, int failures, Instant retryAfter) {
        Instant next = now.plus(backoff(first, failures));
        return retryAfter != null && retryAfter.isAfter(next) ? retryAfter : next;
    }
}
