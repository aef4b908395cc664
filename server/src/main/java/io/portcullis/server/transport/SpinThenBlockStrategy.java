package io.portcullis.server.transport;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/**
 * Polls for ready sockets without blocking for a short while before the event loop goes to sleep in epoll_wait.
 *
 * <p>Under keep-alive load the next request usually arrives a few microseconds after the loop runs dry. Sleeping then
 * costs the sender a wake-up of this thread (on a virtual machine an inter-processor interrupt through the hypervisor)
 * and this thread a context switch back in; polling through the gap costs neither.
 *
 * <p>Where the gaps are longer than the poll (a TLS handshake waits on the client's own crypto; a quiet server waits
 * on nothing), every poll would be time burnt for nothing. So a poll that comes up empty makes the loop sleep at once
 * for the next one, two, four ... up to {@value #MAX_SKIP} times it runs dry, and a poll that finds work after waiting
 * lowers that by one: where only some polls pay (handshakes from several clients), the skip stays high. The loop
 * never polls with tasks queued, and a task queued by another thread while it polls waits at most one poll.
 */
final class SpinThenBlockStrategy implements SelectStrategy {
    static final int MAX_SKIP = 64;

    private final long spinNanos;
    /** How many of the next idle moments sleep without polling. */
    private int skip;
    /** The skip set by the next empty poll. */
    private int backoff;

    SpinThenBlockStrategy(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get();
        }
        if (skip > 0) {
            skip--;
            return SelectStrategy.SELECT;
        }
        int ready = selectNow.get();
        if (ready != 0) {
            return ready; // work was already waiting: says nothing about whether polling pays
        }
        long deadline = System.nanoTime() + spinNanos;
        do {
            Thread.onSpinWait();
            ready = selectNow.get();
            if (ready != 0) {
                backoff = Math.max(0, backoff - 1);
                return ready;
            }
        } while (System.nanoTime() - deadline < 0);
        backoff = Math.min(MAX_SKIP, Math.max(1, backoff << 1));
        skip = backoff;
        return SelectStrategy.SELECT;
    }
}
