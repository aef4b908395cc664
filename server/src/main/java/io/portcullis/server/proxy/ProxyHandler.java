package io.portcullis.server.proxy;

import io.netty.channel.EventLoop;
import io.portcullis.config.ProxyConfig;
import io.portcullis.config.UpstreamTlsConfig;
import io.portcullis.server.http.Exchange;
import io.portcullis.server.http.Handler;
import io.portcullis.server.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reverse proxy for one route: balances requests over the route's upstreams (round robin or least connections, with
 * nginx-style passive health), keeps HTTP/1.1 keep-alive connections per event loop, and streams bodies both ways with
 * backpressure. One instance serves the route on every event loop; per-request state lives in {@link ProxyCall}.
 */
public final class ProxyHandler implements Handler {
    private static final Duration DEFAULT_CONNECT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_FIRST_BYTE = Duration.ofSeconds(60);
    private static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);
    private static final Duration DEFAULT_FAIL = Duration.ofSeconds(10);

    private final ProxyConfig config;
    private final List<Upstream> upstreams;
    private final LoadBalancer balancer;
    private final UpstreamConnector connector;
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final long firstByteNanos;
    private volatile boolean closed;

    public ProxyHandler(ProxyConfig config, Transport transport) {
        this.config = withDefaults(config);
        if (this.config.upstreams().isEmpty()) {
            throw new IllegalArgumentException("proxy.upstreams: empty (expected: at least one http:// or https:// URI)");
        }
        this.upstreams = this.config.upstreams().stream()
                .map(u -> new Upstream(u, this.config.maxFails(), this.config.failDuration()))
                .toList();
        this.balancer = LoadBalancer.of(this.config.balance());
        this.firstByteNanos = this.config.firstByteTimeout().toNanos();
        this.connector = new UpstreamConnector(this.config, transport, upstreams.stream().anyMatch(Upstream::secure));
    }

    /** Fills what an incomplete config left out (the loader normally applies these defaults already). */
    private static ProxyConfig withDefaults(ProxyConfig c) {
        return new ProxyConfig(
                c.upstreams(),
                c.balance() == null ? ProxyConfig.Balance.ROUND_ROBIN : c.balance(),
                positive(c.connectTimeout(), DEFAULT_CONNECT),
                positive(c.firstByteTimeout(), DEFAULT_FIRST_BYTE),
                positive(c.idleTimeout(), DEFAULT_IDLE),
                c.maxIdlePerUpstream() < 0 ? 32 : c.maxIdlePerUpstream(),
                c.maxFails() <= 0 ? 3 : c.maxFails(),
                positive(c.failDuration(), DEFAULT_FAIL),
                c.tls() == null ? new UpstreamTlsConfig(true, null, null) : c.tls());
    }

    private static Duration positive(Duration d, Duration fallback) {
        return d == null || d.isZero() || d.isNegative() ? fallback : d;
    }

    @Override
    public void handle(Exchange exchange) {
        new ProxyCall(this, exchange).start();
    }

    /** Closes idle pooled connections on every event loop; requests in flight finish, then close their connection. */
    @Override
    public void close() {
        closed = true;
        pools.forEach((loop, pool) -> {
            try {
                loop.execute(pool::close);
            } catch (RejectedExecutionException e) {
                // the event loop is already shut down, and its channels with it
            }
        });
    }

    boolean isClosed() {
        return closed;
    }

    /** The calling event loop's pool; only ever used on that loop. */
    UpstreamPool pool(EventLoop loop) {
        UpstreamPool pool = pools.computeIfAbsent(loop, l -> new UpstreamPool(config.maxIdlePerUpstream()));
        if (closed) {
            pool.close();
        }
        return pool;
    }

    Upstream select(Upstream exclude) {
        return balancer.select(upstreams, exclude, System.nanoTime());
    }

    UpstreamConnector connector() {
        return connector;
    }

    Duration firstByteTimeout() {
        return config.firstByteTimeout();
    }

    long firstByteNanos() {
        return firstByteNanos;
    }

    Duration failDuration() {
        return config.failDuration();
    }

    int maxFails() {
        return config.maxFails();
    }

    List<Upstream> upstreams() {
        return upstreams;
    }
}
