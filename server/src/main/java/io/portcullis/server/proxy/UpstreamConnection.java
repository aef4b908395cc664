package io.portcullis.server.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection's pipeline and the unit the pool keeps. It forwards every event to the
 * connection's current owner, so a pooled connection changes hands by swapping the listener, not the pipeline.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    static final String NAME = "upstream";

    private final Upstream upstream;
    private Channel channel;
    private UpstreamListener listener;
    private int uses;
    private boolean closedReported;

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

    /** Hands the connection to a new owner (a request, or the pool). */
    void owner(UpstreamListener newListener) {
        this.listener = newListener;
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
