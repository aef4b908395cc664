package io.portcullis.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters that outlive config reloads: requests in flight (for graceful drain), TLS handshake failures and open TCP
 * connections (for {@code limits.max_connections}).
 */
public final class ServerStats {
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();

    public void requestStarted() {
        inFlight.incrementAndGet();
        requests.increment();
    }

    public void requestEnded() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long requests() {
        return requests.sum();
    }

    public void handshakeFailed() {
        handshakeFailures.increment();
    }

    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    /**
     * Counts a new TCP connection unless {@code limit} are open already.
     *
     * @return whether it was counted (then {@link #connectionClosed()} must follow when it closes)
     */
    public boolean connectionOpened(int limit) {
        while (true) {
            int now = openConnections.get();
            if (now >= limit) {
                return false;
            }
            if (openConnections.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /** Open TCP connections on the https and http listeners. */
    public int openConnections() {
        return openConnections.get();
    }
}
