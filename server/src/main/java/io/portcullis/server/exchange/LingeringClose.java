package io.portcullis.server.exchange;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/1.1 connection whose client is still sending a request body the server has already answered (413,
 * 400, an early error): reading and discarding what arrives, for a bounded time and amount, before closing. Closing at
 * once would make the kernel answer the unread bytes with a TCP reset, and a reset can destroy the response before the
 * client reads it (RFC 9112 9.6; nginx's {@code lingering_close}).
 */
public final class LingeringClose extends ChannelInboundHandlerAdapter {
    private static final String NAME = "lingering-close";
    private static final long MAX_MILLIS = 2_000;
    private static final long MAX_BYTES = 4L * 1024 * 1024;

    private long discarded;

    private LingeringClose() {
    }

    /**
     * Starts the lingering close of an HTTP/1.1 connection: from now on raw bytes are discarded before the decoder, so
     * nothing the client still sends is parsed as a request, and the connection closes when the client is done, after
     * at most two seconds or four MiB. Without a decoder (already upgraded or torn down) it just closes.
     */
    public static void begin(ChannelPipeline pipeline) {
        if (pipeline.get(NAME) != null) {
            return;
        }
        if (pipeline.get(Http1Upgrade.DECODER) == null) {
            pipeline.channel().close();
            return;
        }
        pipeline.addBefore(Http1Upgrade.DECODER, NAME, new LingeringClose());
    }
    private ScheduledFuture<?> deadline;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> ctx.close(), MAX_MILLIS, TimeUnit.MILLISECONDS);
        ctx.channel().config().setAutoRead(true);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof io.netty.buffer.ByteBuf buf) {
            discarded += buf.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (discarded > MAX_BYTES) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
