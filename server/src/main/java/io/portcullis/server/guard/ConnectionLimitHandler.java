package io.portcullis.server.guard;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.portcullis.server.ServerRuntime;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code limits.max_connections_per_address} at accept: a connection beyond the limit from one peer address is closed
 * before TLS costs anything. Counts live on the listening channel, so they are per listener and survive reloads; an
 * address's entry is removed when its last connection closes, so the map is never larger than the open connections.
 * Peers in {@code trusted_proxies} are not limited: they carry many clients.
 */
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<ConcurrentMap<String, Integer>> COUNTS =
            AttributeKey.valueOf("portcullis.connectionsPerAddress");

    private final ServerRuntime runtime;
    private String counted;

    private ConnectionLimitHandler(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Adds the handler first in the pipeline when the runtime's config sets a limit. */
    public static void install(Channel ch, ServerRuntime runtime) {
        if (runtime.config().limits().maxConnectionsPerAddress() > 0 && ch.parent() != null) {
            ch.pipeline().addFirst("connection-limit", new ConnectionLimitHandler(runtime));
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        if (peer == null || peer.getAddress() == null
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
            runtime.audit("connection_limited", peer, "limit", Integer.toString(limit));
            ctx.close();
            return;
        }
        counted = key;
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
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
