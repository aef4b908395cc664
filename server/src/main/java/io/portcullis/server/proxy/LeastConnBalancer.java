package io.portcullis.server.proxy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The eligible upstream with the fewest requests in flight (across all event loops). Ties are broken round robin, so
 * an idle pool still spreads load instead of sending everything to the first upstream.
 */
final class LeastConnBalancer implements LoadBalancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Upstream choose(List<Upstream> upstreams, boolean[] eligible) {
        int n = upstreams.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        Upstream best = null;
        for (int i = 0; i < n; i++) {
            int idx = (start + i) % n;
            if (eligible[idx] && (best == null || upstreams.get(idx).inFlight() < best.inFlight())) {
                best = upstreams.get(idx);
            }
        }
        if (best == null) {
            throw new IllegalStateException("no eligible upstream");
        }
        return best;
    }
}
