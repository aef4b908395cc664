package io.portcullis.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
    private final long idleNanos;
    private Channel channel;
    private UpstreamListener listener;
    private ChannelHandlerContext codec;
    private int uses;
    private boolean closedReported;
    /** When the connection last read or wrote ({@link System#nanoTime}): the idle timeout runs from there. */
    private long lastActivity;
    /** When the response head must have started, or 0 when none is awaited. */
    private long headDeadline;
    private ScheduledFuture<?> timer;
    /** When {@link #timer} fires. */
    private long timerAt;

    /**
     * {@code idleNanos}: no byte either way for this long (pooled or in use) ends the connection, as nginx's
     * {@code proxy_read_timeout} and {@code keepalive_timeout} do. The idle and first-byte deadlines share one timer
     * per connection that re-arms itself for the next deadline, rather than an IdleStateHandler in the pipeline: that
     * one put a listener on every write and one more handler in the path of every read, for a deadline a minute away
     * by default.
     */
    UpstreamConnection(Upstream upstream, long idleNanos) {
        this.upstream = upstream;
        this.idleNanos = idleNanos;
    }

    Upstream upstream() {
        return upstream;
    }

    Channel channel() {
        return channel;
    }

    long idleNanos() {
        return idleNanos;
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
     * Writes and flushes an already encoded request head (see {@link UpstreamRequest#encoded}) below the HTTP codec,
     * which would otherwise take it for body bytes; the codec's decoder still parses the response. No future: a
     * failed write closes the connection, which its owner hears as {@link UpstreamListener#onClosed}.
     */
    void writeEncoded(ByteBuf head) {
        lastActivity = System.nanoTime();
        codec.writeAndFlush(head, channel.voidPromise());
    }

    /** Writes a message through the whole pipeline (HTTP codec included); counts as activity for the idle timeout. */
    ChannelFuture writeAndFlush(Object msg) {
        lastActivity = System.nanoTime();
        return channel.writeAndFlush(msg);
    }

    /**
     * The request is sent: the owner's {@link UpstreamListener#onHeadTimeout} runs unless {@link #headArrived} comes
     * within {@code timeoutNanos}.
     */
    void awaitHead(long timeoutNanos) {
        headDeadline = Math.max(1, System.nanoTime() + timeoutNanos);
        armBy(headDeadline);
    }

    /** The response head has started: the deadline no longer applies. */
    void headArrived() {
        headDeadline = 0;
    }

    /** Makes sure the timer fires no later than {@code deadline}. */
    private void armBy(long deadline) {
        if (timer != null && timerAt - deadline <= 0) {
            return;
        }
        if (timer != null) {
            timer.cancel(false); // only when the first-byte timeout is shorter than the idle timeout
        }
        long delay = Math.max(0, deadline - System.nanoTime());
        timerAt = deadline;
        timer = channel.eventLoop().schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
    }

    private void onTimer() {
        timer = null;
        if (!channel.isActive()) {
            return;
        }
        long now = System.nanoTime();
        long head = headDeadline;
        if (head != 0 && now - head >= 0) {
            headDeadline = 0;
            if (listener != null) {
                listener.onHeadTimeout();
            }
        }
        long idleAt = lastActivity + idleNanos;
        if (now - idleAt >= 0) {
            idleAt = now + idleNanos; // like IdleStateHandler, an idle connection that stays open is reported again
            if (listener != null) {
                listener.onClosed(null, true);
            }
        }
        if (channel.isActive() && timer == null) {
            armBy(headDeadline != 0 && headDeadline - idleAt < 0 ? headDeadline : idleAt);
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
        if (channel.isActive()) {
            startIdleClock();
        }
    }

    /** Connected: the idle timeout runs from here (a failed connect leaves no timer behind). */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startIdleClock();
        ctx.fireChannelActive();
    }

    private void startIdleClock() {
        lastActivity = System.nanoTime();
        armBy(lastActivity + idleNanos);
    }

    /** The WebSocket relay took over: it brings its own idle handler. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false); // connections may be short-lived (Connection: close); their timers must not pile up
            timer = null;
        }
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
        lastActivity = System.nanoTime();
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
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
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
