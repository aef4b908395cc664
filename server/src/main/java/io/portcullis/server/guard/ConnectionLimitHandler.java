package io.portcullis.server.guard;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.ServerStats;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Connection limits at accept, before TLS or HTTP parsing costs anything:
 * <ul>
 *   <li>{@code limits.max_connections}: open TCP connections on the https and http listeners together (counted in
 *       {@link ServerStats}, which outlives reloads); one more is closed. It applies to every peer, trusted proxies
 *       included: it protects the process (file descriptors, memory), not fairness between clients.</li>
 *   <li>{@code limits.max_connections_per_address} (https listener): a connection beyond the limit from one peer
 *       address is closed. Counts live on the listening channel, so they survive reloads; an address's entry is
 *       removed when its last connection closes, so the map is never larger than the open connections. Peers in
 *       {@code trusted_proxies} are not limited by it: they carry many clients.</li>
 * </ul>
 * Both are audit events {@code connection_limited} naming the rule.
 */
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<ConcurrentMap<String, Integer>> COUNTS =
            AttributeKey.valueOf("portcullis.connectionsPerAddress");

    private final ServerRuntime runtime;
    private final ServerStats stats;
    private final boolean perAddress;
    private boolean countedInTotal;
    private String counted;

    private ConnectionLimitHandler(ServerRuntime runtime, ServerStats stats, boolean perAddress) {
        this.runtime = runtime;
        this.stats = stats;
        this.perAddress = perAddress;
    }

    /**
     * Adds the handler first in the pipeline of an accepted connection.
     *
     * @param perAddress whether {@code max_connections_per_address} applies (the https listener)
     */
    public static void install(Channel ch, ServerRuntime runtime, boolean perAddress) {
        if (ch.parent() != null) {
            ch.pipeline().addFirst("connection-limit", new ConnectionLimitHandler(runtime, runtime.stats(),
                    perAddress && runtime.config().limits().maxConnectionsPerAddress() > 0));
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        int total = runtime.config().limits().maxConnections();
        if (!stats.connectionOpened(total)) {
            runtime.audit("connection_limited", peer, "rule", "max_connections", "limit", Integer.toString(total));
            ctx.close();
            return;
        }
        countedInTotal = true;
        if (!perAddress || peer == null || peer.getAddress() == null
                || new ClientAddressResolver(runtime.config().trustedProxies()).isTrusted(peer.getAddress())) {
            super.channelActive(ctx);
            return;
        }
        ConcurrentMap<String, Integer> counts = counts(ctx.channel());
        String key = peer.getAddress().getHostAddress();
        int limit = runtime.config().limits().maxConnectionsPerAddress();
        boolean[] admitted = {false};
        counts.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= limit) {
                return n;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            runtime.audit("connection_limited", peer, "rule", "max_connections_per_address", "limit",
                    Integer.toString(limit));
            ctx.close();
            return;
        }
        counted = key;
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (countedInTotal) {
            stats.connectionClosed();
            countedInTotal = false;
        }
        if (counted != null) {
            counts(ctx.channel()).computeIfPresent(counted, (k, n) -> n <= 1 ? null : n - 1);
            counted = null;
        }
        super.channelInactive(ctx);
    }

    private static ConcurrentMap<String, Integer> counts(Channel ch) {
        var attr = ch.parent().attr(COUNTS);
        ConcurrentMap<String, Integer> m = attr.get();
        if (m == null) {
            attr.setIfAbsent(new ConcurrentHashMap<>());
            m = attr.get();
        }
        return m;
    }
}
