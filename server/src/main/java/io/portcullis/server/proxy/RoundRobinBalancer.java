package io.portcullis.server.proxy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each attempt goes to the next eligible upstream in order; skipped (unhealthy) ones do not shift the rotation. */
final class RoundRobinBalancer implements LoadBalancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Upstream choose(List<Upstream> upstreams, boolean[] eligible) {
        int n = upstreams.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            int idx = (start + i) % n;
            if (eligible[idx]) {
                return upstreams.get(idx);
            }
        }
        throw new IllegalStateException("no eligible upstream");
    }
}
