package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.ProxyConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {
    private static final long SEC = 1_000_000_000L;

    static List<Upstream> upstreams(int n) {
        List<Upstream> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Upstream(URI.create("http://127.0.0.1:" + (8000 + i)), 2, Duration.ofSeconds(10)));
        }
        return list;
    }

    @Test
    void roundRobinRotates() {
        List<Upstream> ups = upstreams(3);
        LoadBalancer lb = LoadBalancer.of(ProxyConfig.Balance.ROUND_ROBIN);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ports.add(lb.select(ups, null, 0).port());
        }
        assertThat(ports).containsExactly(8000, 8001, 8002, 8000, 8001, 8002);
    }

    @Test
    void roundRobinSkipsUnhealthy() {
        List<Upstream> ups = upstreams(3);
        ups.get(1).recordFailure(0);
        ups.get(1).recordFailure(0);
        LoadBalancer lb = LoadBalancer.of(ProxyConfig.Balance.ROUND_ROBIN);
        for (int i = 0; i < 10; i++) {
            assertThat(lb.select(ups, null, SEC).port()).isNotEqualTo(8001);
        }
    }

    @Test
    void leastConnPicksFewestInFlight() {
        List<Upstream> ups = upstreams(3);
        ups.get(0).acquired();
        ups.get(0).acquired();
        ups.get(2).acquired();
        LoadBalancer lb = LoadBalancer.of(ProxyConfig.Balance.LEAST_CONN);
        assertThat(lb.select(ups, null, 0).port()).isEqualTo(8001);
        ups.get(1).acquired();
        ups.get(1).acquired();
        assertThat(lb.select(ups, null, 0).port()).isEqualTo(8002);
    }

    @Test
    void leastConnSpreadsTies() {
        List<Upstream> ups = upstreams(2);
        LoadBalancer lb = LoadBalancer.of(ProxyConfig.Balance.LEAST_CONN);
        assertThat(List.of(lb.select(ups, null, 0).port(), lb.select(ups, null, 0).port()))
                .containsExactlyInAnyOrder(8000, 8001);
    }

    @Test
    void excludeSkipsTheFailedOneUnlessItIsTheOnlyOne() {
        List<Upstream> ups = upstreams(2);
        LoadBalancer lb = LoadBalancer.of(ProxyConfig.Balance.ROUND_ROBIN);
        for (int i = 0; i < 4; i++) {
            assertThat(lb.select(ups, ups.get(0), 0)).isSameAs(ups.get(1));
        }
        List<Upstream> one = upstreams(1);
        assertThat(lb.select(one, one.get(0), 0)).isSameAs(one.get(0));
    }

    @Test
    void allDownTriesLeastRecentlyFailed() {
        List<Upstream> ups = upstreams(3);
        for (int i = 0; i < 2; i++) {
            ups.get(0).recordFailure(3 * SEC);
            ups.get(1).recordFailure(1 * SEC);
            ups.get(2).recordFailure(2 * SEC);
        }
        LoadBalancer lb = LoadBalancer.of(ProxyConfig.Balance.ROUND_ROBIN);
        assertThat(lb.select(ups, null, 4 * SEC)).isSameAs(ups.get(1));
        assertThat(lb.select(ups, ups.get(1), 4 * SEC)).isSameAs(ups.get(2));
    }
}
