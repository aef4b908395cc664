package io.portcullis.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters that outlive config reloads: requests in flight (for graceful drain) and TLS handshake failures. */
public final class ServerStats {
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
}
