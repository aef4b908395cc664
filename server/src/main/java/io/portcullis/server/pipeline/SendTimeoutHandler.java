package io.portcullis.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.ScheduledFuture;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.http.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Gives up on responses the client stops taking (slow read): a client that asks for a large response and then never
 * reads holds the connection, the file or upstream behind it, and buffers, for as long as the server waits. With this
 * handler the server waits {@code limits.idle_timeout} without progress:
 * <ul>
 *   <li>bytes wait in the socket's outbound buffer and none of them left for the timeout (the client's TCP window is
 *       closed): the connection is closed;</li>
 *   <li>HTTP/2: a stream has response data waiting while its flow-control window (or the connection's) stays
 *       exhausted for the timeout (a client that set a zero window and never sends WINDOW_UPDATE): that stream is
 *       reset with CANCEL; the connection and its other streams go on.</li>
 * </ul>
 * Each is an audit event {@code send_timeout}. Checked every quarter of the timeout from the connection's event loop,
 * so it fires between one and one and a quarter timeouts after the stall began. A client that keeps taking bytes,
 * however slowly, is not affected (as with nginx's {@code send_timeout}).
 */
final class SendTimeoutHandler extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private final Supplier<ServerRuntime> runtime;
    private final Protocol protocol;
    private final InetSocketAddress client;
    private ScheduledFuture<?> task;

    private Object lastMessage;
    private long lastProgress = -1;
    private long socketStalledSince;
    /** HTTP/2 stream id to when its window was first seen exhausted with data waiting. */
    private final Map<Integer, Long> blockedStreams = new HashMap<>();

    SendTimeoutHandler(long timeoutMillis, Supplier<ServerRuntime> runtime, Protocol protocol,
                       InetSocketAddress client) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.runtime = runtime;
        this.protocol = protocol;
        this.client = client;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long period = Math.max(timeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(10));
        task = ctx.executor().scheduleAtFixedRate(() -> check(ctx), period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            cancel();
            return;
        }
        long now = System.nanoTime();
        if (socketStalled(ctx, now)) {
            runtime.get().audit("send_timeout", client, "protocol", protocol.logName(), "what", "connection");
            cancel();
            ctx.close();
            return;
        }
        Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
        if (codec != null) {
            resetBlockedStreams(ctx, codec, now);
        }
    }

    /** True when bytes have waited in the outbound buffer for the timeout without one of them being written. */
    private boolean socketStalled(ChannelHandlerContext ctx, long now) {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out == null || out.totalPendingWriteBytes() == 0) {
            socketStalledSince = 0;
            lastMessage = null;
            return false;
        }
        Object current = out.current();
        long progress = out.currentProgress();
        if (socketStalledSince == 0 || current != lastMessage || progress != lastProgress) {
            socketStalledSince = now;
            lastMessage = current;
            lastProgress = progress;
            return false;
        }
        return now - socketStalledSince >= timeoutNanos;
    }

    private void resetBlockedStreams(ChannelHandlerContext ctx, Http2FrameCodec codec, long now) {
        Http2RemoteFlowController flow = codec.connection().remote().flowController();
        boolean connectionWindowShut = flow.windowSize(codec.connection().connectionStream()) <= 0;
        Map<Integer, Long> stillBlocked = new HashMap<>();
        List<Integer> expired = new ArrayList<>();
        try {
            codec.connection().forEachActiveStream((Http2Stream stream) -> {
                if (flow.hasFlowControlled(stream) && (connectionWindowShut || flow.windowSize(stream) <= 0)) {
                    long since = blockedStreams.getOrDefault(stream.id(), now);
                    if (now - since >= timeoutNanos) {
                        expired.add(stream.id());
                    } else {
                        stillBlocked.put(stream.id(), since);
                    }
                }
                return true;
            });
        } catch (Http2Exception e) {
            return; // the visitor throws nothing; the signature is the connection's
        }
        blockedStreams.clear();
        blockedStreams.putAll(stillBlocked);
        if (expired.isEmpty()) {
            return;
        }
        ChannelHandlerContext codecCtx = ctx.pipeline().context(codec);
        for (int id : expired) {
            runtime.get().audit("send_timeout", client, "protocol", protocol.logName(), "what", "stream " + id);
            codec.resetStream(codecCtx, id, Http2Error.CANCEL.code(), codecCtx.newPromise());
        }
        codecCtx.flush();
    }
}
