package io.portcullis.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits before the HTTP/1.1 decoder and notes when the first byte of a request arrived, so the connection handler can
 * tell a slowloris (some bytes, no complete head: 408) from an idle keep-alive connection (no bytes: silent close).
 */
final class InboundActivity extends ChannelInboundHandlerAdapter {
    private long firstByteNanos;

    /** Nanotime of the first byte since {@link #reset()}, or 0 when none arrived. */
    long firstByteNanos() {
        return firstByteNanos;
    }

    void reset() {
        firstByteNanos = 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (firstByteNanos == 0 && msg instanceof ByteBuf buf && buf.isReadable()) {
            firstByteNanos = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }
}
