package io.portcullis.server.proxy;

import io.portcullis.config.ProxyConfig;
import java.util.List;

/**
 * Picks the upstream for one attempt. Implementations are shared by all event loops and must be thread-safe.
 *
 * <p>Common rules (in {@link #select}): upstreams taken out by passive health are skipped, and so is {@code exclude}
 * (the one that just failed) unless it is the only healthy one left. When every upstream is out, the one that failed
 * least recently is tried anyway: a 502 after a real attempt beats an instant 502 while the pool might have recovered.
 */
interface LoadBalancer {
    static LoadBalancer of(ProxyConfig.Balance balance) {
        return balance == ProxyConfig.Balance.LEAST_CONN ? new LeastConnBalancer() : new RoundRobinBalancer();
    }

    /** Chooses among {@code eligible[i] == true}; at least one is eligible. */
    Upstream choose(List<Upstream> upstreams, boolean[] eligible);

    default Upstream select(List<Upstream> upstreams, Upstream exclude, long nowNanos) {
        int n = upstreams.size();
        boolean[] eligible = new boolean[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            Upstream u = upstreams.get(i);
            eligible[i] = u != exclude && u.isAvailable(nowNanos);
            if (eligible[i]) {
                count++;
            }
        }
        if (count > 0) {
            return choose(upstreams, eligible);
        }
        if (exclude != null && exclude.isAvailable(nowNanos)) {
            return exclude; // the only healthy one: retrying it beats giving up
        }
        return leastRecentlyFailed(upstreams, exclude);
    }

    private static Upstream leastRecentlyFailed(List<Upstream> upstreams, Upstream exclude) {
        Upstream best = null;
        for (Upstream u : upstreams) {
            if (u == exclude && upstreams.size() > 1) {
                continue;
            }
            if (best == null || u.lastFailNanos() - best.lastFailNanos() < 0) {
                best = u;
            }
        }
        return best;
    }
}
