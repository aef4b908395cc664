package io.portcullis.server.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.portcullis.config.LimitsConfig;
import io.portcullis.server.exchange.ErrorPages;
import io.portcullis.server.exchange.LingeringClose;
import io.portcullis.server.http.RequestIds;
import io.portcullis.server.http.HttpDate;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection's life between requests: answers requests strictly in order (pipelined requests wait in a
 * bounded queue until the response before them has ended), decides when to read, and enforces the header timeout (a
 * request head that does not complete in time gets 408 and the connection is closed) and the keep-alive idle timeout.
 * A response carrying {@code Connection: close} closes the connection once written.
 */
public final class Http1ConnectionHandler extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Http1ConnectionHandler.class);
    private final LimitsConfig limits;
    private final InboundActivity activity;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private int queuedRequests;
    private boolean responding;
    private boolean requestInProgress;
    private boolean closeAfterResponse;
    private boolean informational;
    /** Whether the current request's body was read to its end (so closing now cannot cut off the client). */
    private boolean inboundComplete = true;
    private long waitingSinceNanos;
    private ScheduledFuture<?> timer;
    private Runnable timeoutCheck;
    private volatile boolean draining;
    private volatile ChannelHandlerContext context;
    /** Ends a response once it is written; made on the first response, as it needs the context. */
    private ChannelFutureListener endedListener;

    Http1ConnectionHandler(LimitsConfig limits, InboundActivity activity) {
        this.limits = limits;
        this.activity = activity;
    }

    /** Graceful shutdown, from any thread: close when idle, else after the response in flight. */
    public void drain() {
        ChannelHandlerContext ctx = this.context;
        if (ctx == null) {
            return;
        }
        ctx.executor().execute(() -> {
            draining = true;
            if (!responding && !requestInProgress) {
                ctx.close();
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
        if (ctx.channel().isActive()) {
            awaitRequest(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitRequest(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            if (responding || !queued.isEmpty()) {
                if (++queuedRequests > limits.maxPipelinedRequests()) {
                    ReferenceCountUtil.release(msg);
                    ctx.close();
                    return;
                }
                queued.add(msg);
                return;
            }
            startRequest();
            inboundComplete = false;
        } else if (!queued.isEmpty()) {
            queued.add(msg);
            return;
        }
        if (msg instanceof LastHttpContent) {
            inboundComplete = true;
        }
        ctx.fireChannelRead(msg);
        if (msg instanceof LastHttpContent && responding && !draining) {
            // Read ahead while the response is produced elsewhere (a proxied one arrives later): what comes is queued
            // as a pipelined request, bounded as above. Without it the socket's read interest is dropped at the end
            // of this read and re-armed when the response ends, two epoll_ctl calls per proxied request.
            ctx.read();
        }
    }

    private void startRequest() {
        // The timer is left to run: it finds the connection responding and stops. Cancelling and re-arming it for every
        // request costs a scheduled-task removal and insertion per request.
        responding = true;
        requestInProgress = true;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            HttpResponseStatus status = response.status();
            informational = status.codeClass() == HttpStatusClass.INFORMATIONAL
                    && status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code();
            if (!informational) {
                if (draining && !response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE,
                        true)) {
                    // Headers may be shared between responses (FixedHeaders, read-only): the close goes on a copy.
                    response = response instanceof FullHttpResponse full ? full.replace(full.content())
                            : new DefaultHttpResponse(response.protocolVersion(), response.status(),
                            response.headers().copy());
                    msg = response;
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                closeAfterResponse = response.headers()
                        .containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
            }
        }
        if (msg instanceof LastHttpContent) {
            if (informational) {
                informational = false;
            } else {
                requestInProgress = false;
                if (closeAfterResponse) {
                    ctx.write(msg, promise).addListener(f -> closeAfterWrite(ctx, f.isSuccess()));
                    return;
                }
                if (endedListener == null) { // one per connection, not one per response
                    endedListener = f -> {
                        if (f.isSuccess()) {
                            responseEnded(ctx);
                        }
                    };
                }
                promise.addListener(endedListener);
            }
        }
        ctx.write(msg, promise);
    }

    private void closeAfterWrite(ChannelHandlerContext ctx, boolean written) {
        // Decided after the current read loop: a response written while its request head was being handled must not
        // linger for an (empty) last chunk that the decoder is about to deliver.
        ctx.executor().execute(() -> {
            if (written && !inboundComplete) {
                LingeringClose.begin(ctx.pipeline());
            } else {
                ctx.close();
            }
        });
    }

    private void responseEnded(ChannelHandlerContext ctx) {
        if (ctx.isRemoved()) {
            return;
        }
        responding = false;
        if (draining) {
            ctx.close();
            return;
        }
        if (queued.isEmpty()) {
            awaitRequest(ctx);
            return;
        }
        // Replay the next pipelined request and whatever of its body was already decoded.
        queuedRequests--;
        startRequest();
        ctx.fireChannelRead(queued.poll());
        while (!queued.isEmpty() && !(queued.peek() instanceof HttpRequest)) {
            ctx.fireChannelRead(queued.poll());
        }
        ctx.fireChannelReadComplete();
    }

    private void awaitRequest(ChannelHandlerContext ctx) {
        activity.reset();
        waitingSinceNanos = System.nanoTime();
        // One timer per connection, re-armed lazily: a timer still pending from an earlier wait is kept when it fires
        // no later than this wait's first check would; it then re-arms itself for what is left of the deadlines
        // measured from now, so timeouts fire when they did with a timer per request.
        long delay = Math.min(limits.headerTimeout().toNanos(), limits.idleTimeout().toNanos());
        if (timer == null || timer.getDelay(TimeUnit.NANOSECONDS) > delay) {
            schedule(ctx, delay);
        }
        ctx.read();
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        cancelTimer();
        if (timeoutCheck == null) {
            timeoutCheck = () -> checkTimeouts(ctx);
        }
        timer = ctx.executor().schedule(timeoutCheck, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
    }

    private void checkTimeouts(ChannelHandlerContext ctx) {
        timer = null;
        if (responding || ctx.isRemoved() || !ctx.channel().isActive()) {
            // awaitRequest arms the timer again once the response has ended.
            return;
        }
        long now = System.nanoTime();
        long firstByte = activity.firstByteNanos();
        if (firstByte != 0) {
            long left = limits.headerTimeout().toNanos() - (now - firstByte);
            if (left <= 0) {
                requestTimeout(ctx);
            } else {
                schedule(ctx, left);
            }
            return;
        }
        long idleLeft = limits.idleTimeout().toNanos() - (now - waitingSinceNanos);
        if (idleLeft <= 0) {
            ctx.close();
        } else {
            schedule(ctx, Math.min(idleLeft, limits.headerTimeout().toNanos()));
        }
    }

    /** Headers did not complete in time (slowloris): 408, then close, as RFC 9110 15.5.9 describes. */
    private void requestTimeout(ChannelHandlerContext ctx) {
        responding = true;
        String requestId = RequestIds.next();
        LOG.info("request {} from {} timed out: headers not complete within {} ms; 408 and close", requestId,
                ctx.channel().remoteAddress(), limits.headerTimeout().toMillis());
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_TIMEOUT,
                ErrorPages.render(ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT, requestId));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, ErrorPages.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.DATE, HttpDate.now());
        ctx.writeAndFlush(response).addListener(f -> closeAfterWrite(ctx, f.isSuccess()));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        while (!queued.isEmpty()) {
            ReferenceCountUtil.release(queued.poll());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }
}
