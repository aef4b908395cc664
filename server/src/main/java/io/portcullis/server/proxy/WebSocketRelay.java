package io.portcullis.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * After both sides agreed on 101 Switching Protocols, relays raw bytes between the client and the upstream, exactly
 * like Netty's HexDumpProxy: auto-read is off on both channels and each side is read again only after its last bytes
 * were written to the other. The upstream connection is never pooled afterwards; closing either side closes both
 * (after flushing what is pending). No bytes either way for the proxy's idle timeout ends the tunnel, as nginx's
 * {@code proxy_read_timeout} does.
 */
final class WebSocketRelay {
    private final Channel upstream;
    private final long idleNanos;
    private final List<ByteBuf> early = new ArrayList<>();
    private boolean started;

    WebSocketRelay(Channel upstream, long idleNanos) {
        this.upstream = upstream;
        this.idleNanos = idleNanos;
    }

    /** Bytes the upstream sent right behind its 101, before the client side was switched. */
    void early(ByteBuf bytes) {
        if (started) {
            bytes.release();
        } else {
            early.add(bytes);
        }
    }

    /** Drops buffered bytes when the switch did not happen. */
    void discard() {
        early.forEach(ByteBuf::release);
        early.clear();
    }

    /**
     * Takes the HTTP codec out of the upstream pipeline (its leftover bytes reach {@link #early} through the still
     * installed upstream handler), then joins the two channels. {@code onClosed} runs once when the tunnel ends.
     */
    void start(Channel client, Runnable onClosed) {
        if (upstream.pipeline().get(UpstreamConnection.CODEC) != null) {
            upstream.pipeline().remove(UpstreamConnection.CODEC);
        }
        started = true;
        upstream.pipeline().replace(UpstreamConnection.NAME, "ws-relay", new Pump(client));
        // The upstream connection's own idle timer went with its handler; a tunnel is idle when neither side speaks.
        upstream.pipeline().addBefore("ws-relay", "idle", new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS));
        client.pipeline().addLast("ws-relay", new Pump(upstream));
        upstream.closeFuture().addListener(f -> closeOnFlush(client));
        client.closeFuture().addListener(f -> closeOnFlush(upstream));
        upstream.closeFuture().addListener(f -> onClosed.run());
        if (!upstream.isActive() || !client.isActive()) {
            discard();
            closeOnFlush(upstream);
            closeOnFlush(client);
            return;
        }
        if (early.isEmpty()) {
            upstream.read();
        } else {
            for (int i = 0; i < early.size() - 1; i++) {
                client.write(early.get(i));
            }
            client.writeAndFlush(early.get(early.size() - 1)).addListener(readAgain(upstream));
            early.clear();
        }
        client.read();
    }

    private static ChannelFutureListener readAgain(Channel source) {
        return f -> {
            if (f.isSuccess()) {
                source.read();
            } else {
                f.channel().close();
                source.close();
            }
        };
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Reads one side and writes to {@code peer}; the one class serves both directions. */
    private static final class Pump extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Pump(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (peer.isActive()) {
                peer.writeAndFlush(msg).addListener(readAgain(ctx.channel()));
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(peer);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                peer.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }
}
