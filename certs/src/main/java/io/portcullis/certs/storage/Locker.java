package io.portcullis.certs.storage;

import java.io.IOException;
import java.time.Duration;

/**
 * Named locks shared by every instance that uses the same storage, so only one of them talks to the CA for a given
 * name at a time. A lock expires after its TTL even if its holder died without releasing it (a crashed instance must
 * not block renewals forever); a holder that needs longer refreshes it by taking it again.
 */
public interface Locker {
    /**
     * Waits until the lock {@code name} is free (or expired), takes it for {@code ttl} and returns it.
     *
     * @throws IOException when the backend fails, or {@code maxWait} passes without getting the lock
     */
    Lock lock(String name, Duration ttl, Duration maxWait) throws IOException, InterruptedException;

    /** A held lock; closing releases it (only if still ours: an expired and re-taken lock is left alone). */
    interface Lock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
