package io.portcullis.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an upstream connection's pipeline and the unit the pool keeps. It forwards every event to the
 * connection's current owner, so a pooled connection changes hands by swapping the listener, not the pipeline.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    static final String NAME = "upstream";
    /** The HTTP codec's name in the pipeline; the WebSocket relay removes it after a 101. */
    static final String CODEC = "http";

    private final Upstream upstream;
    private Channel channel;
    private UpstreamListener listener;
    private ChannelHandlerContext codec;
    private int uses;
    private boolean closedReported;
    /** When the response head must have started ({@link System#nanoTime}), or 0 when none is awaited. */
    private long headDeadline;
    private ScheduledFuture<?> headTimer;

    UpstreamConnection(Upstream upstream) {
        this.upstream = upstream;
    }

    Upstream upstream() {
        return upstream;
    }

    Channel channel() {
        return channel;
    }

    /** True when this connection already served a request: a failure before any response byte may be a stale race. */
    boolean reused() {
        return uses > 1;
    }

    /** Hands the connection to a new owner (a request, or the pool); a head the old owner awaited is not awaited. */
    void owner(UpstreamListener newListener) {
        this.listener = newListener;
        headDeadline = 0;
    }

    /**
     * Writes an already encoded request head (see {@link UpstreamRequest#encoded}) below the HTTP codec, which would
     * otherwise take it for body bytes; the codec's decoder still parses the response.
     */
    ChannelFuture writeEncoded(ByteBuf head) {
        return codec.writeAndFlush(head);
    }

    /**
     * The request is sent: the owner's {@link UpstreamListener#onHeadTimeout} runs unless {@link #headArrived} comes
     * within {@code timeoutNanos}. Like IdleStateHandler, one timer per connection re-arms itself for the latest
     * deadline instead of a timer scheduled and cancelled per request (a priority-queue insert and removal each).
     */
    void awaitHead(long timeoutNanos) {
        headDeadline = Math.max(1, System.nanoTime() + timeoutNanos);
        if (headTimer == null) {
            headTimer = channel.eventLoop().schedule(this::checkHead, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The response head has started: the deadline no longer applies. */
    void headArrived() {
        headDeadline = 0;
    }

    private void checkHead() {
        headTimer = null;
        long deadline = headDeadline;
        if (deadline == 0 || !channel.isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            headTimer = channel.eventLoop().schedule(this::checkHead, left, TimeUnit.NANOSECONDS);
        } else {
            headDeadline = 0;
            if (listener != null) {
                listener.onHeadTimeout();
            }
        }
    }

    /** Marks the start of a request on this connection. */
    void use() {
        uses++;
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        codec = ctx.pipeline().context(CODEC);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (listener == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        listener.onMessage(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.onReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && listener != null) {
            listener.onWritable();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && listener != null) {
            listener.onClosed(null, true);
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (headTimer != null) {
            headTimer.cancel(false); // connections may be short-lived (Connection: close); their timers must not pile up
            headTimer = null;
        }
        reportClosed(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        reportClosed(cause);
    }

    private void reportClosed(Throwable cause) {
        if (!closedReported && listener != null) {
            closedReported = true;
            listener.onClosed(cause, false);
        }
    }
}
