package io.portcullis.server.guard.ban;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.time.Instant;

/** Closes a connection from a banned address at accept, before TLS costs anything. */
public final class BanHandler extends ChannelInboundHandlerAdapter {
    private final BanList bans;

    private BanHandler(BanList bans) {
        this.bans = bans;
    }

    public static void install(Channel ch, BanList bans) {
        if (bans != null) {
            ch.pipeline().addFirst("ban", new BanHandler(bans));
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        if (peer != null && peer.getAddress() != null
                && bans.isBanned(peer.getAddress().getHostAddress(), Instant.now())) {
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }
}
