package io.portcullis.server.proxy;

import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle keep-alive connections of one event loop, per upstream. Confined to that event loop, so no locking: a request
 * only ever takes connections registered on its own loop and never hops threads.
 *
 * <p>Connections are reused most-recently-released first, so under light load the extra ones stay idle and expire
 * after the idle timeout instead of being kept warm round-robin. While pooled, a read is kept pending so an upstream
 * that closes (or misbehaves by sending bytes) is noticed at once and the connection dropped.
 */
final class UpstreamPool {
    private final int maxIdlePerUpstream;
    private final Map<Upstream, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
    private boolean closed;

    UpstreamPool(int maxIdlePerUpstream) {
        this.maxIdlePerUpstream = Math.max(0, maxIdlePerUpstream);
    }

    /** An idle connection that is still open, or null. */
    UpstreamConnection poll(Upstream upstream) {
        ArrayDeque<UpstreamConnection> q = idle.get(upstream);
        UpstreamConnection c;
        while (q != null && (c = q.pollLast()) != null) {
            if (c.channel().isActive()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    /** Keeps {@code c} for reuse, or closes it when the pool is full, closed, or the connection is not open. */
    void release(UpstreamConnection c) {
        ArrayDeque<UpstreamConnection> q = idle.computeIfAbsent(c.upstream(), u -> new ArrayDeque<>());
        if (closed || !c.channel().isActive() || q.size() >= maxIdlePerUpstream) {
            c.close();
            return;
        }
        c.owner(new IdleOwner(c));
        q.addLast(c);
        c.channel().read();
    }

    int idleCount(Upstream upstream) {
        ArrayDeque<UpstreamConnection> q = idle.get(upstream);
        return q == null ? 0 : q.size();
    }

    /** Closes every idle connection; later releases close at once. */
    void close() {
        closed = true;
        List<UpstreamConnection> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        idle.clear();
        all.forEach(UpstreamConnection::close);
    }

    /** Owner of a pooled connection: anything but silence ends it. */
    private final class IdleOwner implements UpstreamListener {
        private final UpstreamConnection c;

        IdleOwner(UpstreamConnection c) {
            this.c = c;
        }

        @Override
        public void onMessage(Object msg) {
            ReferenceCountUtil.release(msg); // an idle HTTP/1.1 connection must be silent; bytes mean it is unusable
            drop();
        }

        @Override
        public void onReadComplete() {
        }

        @Override
        public void onWritable() {
        }

        @Override
        public void onClosed(Throwable cause, boolean idleTimeout) {
            drop();
        }

        private void drop() {
            ArrayDeque<UpstreamConnection> q = idle.get(c.upstream());
            if (q != null) {
                q.remove(c);
            }
            c.close();
        }
    }
}
