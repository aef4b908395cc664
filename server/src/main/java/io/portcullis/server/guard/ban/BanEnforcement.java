package io.portcullis.server.guard.ban;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.guard.ProxyProtocolHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;

/**
 * What the server does when the ban list changes: a ban closes the open connections from that address at once
 * (TCP on both listeners and QUIC), not only its next ones at accept, so a client holding a keep-alive connection
 * does not keep being served; bans added or lifted through the file ({@code portcullis ban}) are audit events.
 */
public final class BanEnforcement implements BanList.Listener {
    private final ChannelGroup connections;
    private final Supplier<ServerRuntime> runtime;

    public BanEnforcement(ChannelGroup connections, Supplier<ServerRuntime> runtime) {
        this.connections = connections;
        this.runtime = runtime;
    }

    @Override
    public void banned(Ban ban, boolean fromFile) {
        for (Channel ch : connections) {
            InetSocketAddress peer = clientOf(ch);
            if (peer != null && peer.getAddress() != null && ban.address().equals(peer.getAddress().getHostAddress())) {
                // Later on the connection's own loop: the ban may have been set off by a request of this very
                // connection, whose response and access log line are still being finished.
                ch.eventLoop().execute(ch::close);
            }
        }
        if (fromFile) {
            audit("banned", ban, "reason", ban.reason(), "until", ban.until().toString(), "strikes",
                    Integer.toString(ban.strikes()), "source", "ban list");
        }
    }

    @Override
    public void unbanned(Ban ban) {
        audit("unbanned", ban, "reason", ban.reason(), "source", "ban list");
    }

    private void audit(String event, Ban ban, String... fields) {
        ServerRuntime rt = runtime.get();
        if (rt != null) {
            rt.record(event, addressOf(ban), fields);
        }
    }

    /** The client a connection is from: the PROXY protocol's client when a balancer sent one, else the peer. */
    private static InetSocketAddress clientOf(Channel ch) {
        InetSocketAddress proxied = ch.attr(ProxyProtocolHandler.CLIENT).get();
        if (proxied != null) {
            return proxied;
        }
        SocketAddress peer = ch instanceof QuicChannel quic ? quic.remoteSocketAddress() : ch.remoteAddress();
        return peer instanceof InetSocketAddress inet ? inet : null;
    }

    private static InetSocketAddress addressOf(Ban ban) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ban.address()), 0); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
