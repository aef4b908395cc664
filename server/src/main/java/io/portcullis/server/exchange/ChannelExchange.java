package io.portcullis.server.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AsciiString;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.filter.ResponseHeaderPolicy;
import io.portcullis.server.guard.ClientCertGuard;
import io.portcullis.server.http.BodyReceiver;
import io.portcullis.server.http.Exchange;
import io.portcullis.server.http.FixedHeaders;
import io.portcullis.server.http.HttpDate;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import io.portcullis.server.http3.AltSvc;
import io.portcullis.server.log.AccessLogEntry;
import io.portcullis.server.route.Site;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@link Exchange} over a Netty channel whose pipeline speaks Netty's HTTP object model: the HTTP/1.1 connection,
 * or one HTTP/2 or HTTP/3 stream channel (through the frame-to-object codecs). That one shape is what makes every
 * handler protocol-independent.
 */
public final class ChannelExchange implements Exchange, ChannelFutureListener {
    /** Above this much unread body, an HTTP/1.1 connection is closed (lingering) instead of drained after the response. */
    private static final long MAX_DRAIN_BYTES = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final Request request;
    private final Site site;
    private final ServerRuntime runtime;
    private final long maxBodyBytes;
    private final boolean expectContinue;
    private final boolean http10;
    private final long startNanos = System.nanoTime();

    private BodyReceiver receiver;
    /** Body chunks read before the receiver asked for them; made on first use (most requests have no body). */
    private ArrayDeque<HttpContent> pending;
    private boolean demand;
    private boolean bodyComplete;
    private boolean bodyFailed;
    private long bodyBytes;

    private boolean headSent;
    private HttpResponse pendingHead;
    private ChannelFuture endFuture;
    private boolean bodyAllowed = true;
    private boolean done;
    private boolean closeConnection;
    private int status;
    private long bytesSent;
    private Map<String, String> logAttributes;
    private String ja4;
    private List<Runnable> abortTasks;
    private Runnable writableTask;

    ChannelExchange(ChannelHandlerContext ctx, Request request, Site site, ServerRuntime runtime, long maxBodyBytes,
                    boolean keepAlive, boolean expectContinue, boolean http10) {
        this.ctx = ctx;
        this.request = request;
        this.site = site;
        this.runtime = runtime;
        this.maxBodyBytes = maxBodyBytes;
        this.closeConnection = !keepAlive;
        this.expectContinue = expectContinue;
        this.http10 = http10;
        runtime.stats().requestStarted();
    }

    @Override
    public Request request() {
        return request;
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    private boolean http1() {
        return request.protocol() == Protocol.HTTP_1_1;
    }

    // ---- request body ----

    @Override
    public void receiveBody(BodyReceiver bodyReceiver) {
        if (receiver != null) {
            throw new IllegalStateException("body already being received");
        }
        receiver = bodyReceiver;
        if (expectContinue && !bodyComplete && !headSent) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        requestBody();
    }

    @Override
    public void requestBody() {
        if (receiver == null || bodyFailed) {
            return;
        }
        HttpContent next = pending == null ? null : pending.poll();
        if (next != null) {
            deliver(next);
        } else if (!bodyComplete) {
            // Every protocol codec ends a request with a last chunk (empty for body-less requests), so receivers
            // always see exactly one chunk with last == true.
            demand = true;
            ctx.read();
        }
    }

    private void deliver(HttpContent content) {
        demand = false;
        receiver.onBody(content.content(), content instanceof LastHttpContent);
    }

    /** Called by the dispatcher for each body chunk of this exchange's request. */
    void onContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (bodyFailed) {
            content.release();
            return;
        }
        bodyBytes += content.content().readableBytes();
        if (last) {
            bodyComplete = true;
        }
        if (bodyBytes > maxBodyBytes) {
            content.release();
            failBody(new BodyTooLargeException(maxBodyBytes));
            if (!headSent) {
                sendError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            } else {
                abort();
            }
            return;
        }
        if (done && receiver == null) {
            // Answered without reading the body: drain a small one so the connection can serve the next request; a
            // large one (only known once it gets large, for chunked bodies) ends in a lingering close instead.
            content.release();
            if (!last && http1() && bodyBytes > MAX_DRAIN_BYTES) {
                LingeringClose.begin(ctx.pipeline());
            } else if (!last) {
                ctx.read();
            }
            return;
        }
        if (receiver != null && demand) {
            deliver(content);
        } else {
            if (pending == null) {
                pending = new ArrayDeque<>(2);
            }
            pending.add(content);
        }
    }

    /** The request stream broke (bad chunk, client reset). */
    void onBodyFailure(Throwable cause) {
        failBody(cause);
    }

    private void failBody(Throwable cause) {
        if (bodyFailed) {
            return;
        }
        bodyFailed = true;
        releasePending();
        if (receiver != null) {
            receiver.onBodyError(cause);
        }
    }

    private void releasePending() {
        if (pending == null) {
            return;
        }
        HttpContent c;
        while ((c = pending.poll()) != null) {
            c.release();
        }
    }

    /** Whether the request body was fully read, so the connection can serve the next request. */
    boolean bodyComplete() {
        return bodyComplete;
    }

    // ---- response ----

    @Override
    public void sendHead(HttpResponseStatus responseStatus, HttpHeaders headers) {
        prepareHead(responseStatus, headers);
        // Held until the first body write, flush or end: a short response (a proxied one, a HEAD, a 304) then goes
        // down the pipeline as one message (one promise, one encoder pass, one TLS record) instead of two or three.
        pendingHead = new DefaultHttpResponse(HttpVersion.HTTP_1_1, responseStatus, headers);
    }

    private void writePendingHead() {
        HttpResponse head = pendingHead;
        if (head != null) {
            pendingHead = null;
            ctx.write(head);
        }
    }

    private static FullHttpResponse whole(HttpResponse head, ByteBuf content) {
        return new DefaultFullHttpResponse(head.protocolVersion(), head.status(), content, head.headers(),
                EmptyHttpHeaders.INSTANCE);
    }

    @Override
    public void flush() {
        requireHead();
        writePendingHead();
        ctx.flush();
    }

    /** Everything {@link #sendHead} does except the write: status, body rules, header policy, HTTP/1.1 framing. */
    private void prepareHead(HttpResponseStatus responseStatus, HttpHeaders headers) {
        startHead(responseStatus);
        applyFilters(headers, site.headerPolicy(), altSvc());
        if (http1()) {
            prepareHttp1Framing(headers);
        }
    }

    /** Marks the head as sent with this status and decides whether a body may follow. */
    private void startHead(HttpResponseStatus responseStatus) {
        if (headSent) {
            throw new IllegalStateException("head already sent");
        }
        headSent = true;
        status = responseStatus.code();
        bodyAllowed = !request.method().equals(HttpMethod.HEAD) && status != 204 && status != 304
                && status >= 200;
    }

    /** The response filters every head gets, whether finished per response or once for shared fixed headers. */
    private static void applyFilters(HttpHeaders headers, ResponseHeaderPolicy policy, AsciiString altSvc) {
        policy.apply(headers, true);
        AltSvc.apply(headers, altSvc);
    }

    private AsciiString altSvc() {
        return runtime.altSvc().valueFor(request.protocol(), runtime.config().quic().altSvc()
                && site.config().altSvc() && !ClientCertGuard.asksForCertificates(site.config()));
    }

    /** Whether the request's unread body is too large to drain: reading it to keep the connection costs more. */
    private boolean largeUnreadBody() {
        return !bodyComplete && receiver == null && request.contentLength() - bodyBytes > MAX_DRAIN_BYTES;
    }

    private void prepareHttp1Framing(HttpHeaders headers) {
        if (largeUnreadBody()) {
            closeConnection = true;
        }
        if (!bodyAllowed) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        } else if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (http10) {
                closeConnection = true;
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        } else {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        if (closeConnection) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    @Override
    public ChannelFuture write(ByteBuf chunk) {
        requireHead();
        writePendingHead();
        if (done || !bodyAllowed) {
            chunk.release();
            return ctx.newSucceededFuture();
        }
        bytesSent += chunk.readableBytes();
        return ctx.writeAndFlush(new DefaultHttpContent(chunk));
    }

    @Override
    public ChannelFuture writeAndEnd(ChunkedInput<ByteBuf> body) {
        requireHead();
        if (done || !bodyAllowed) {
            try {
                body.close();
            } catch (Exception ignored) {
                // nothing was read from it
            }
            return end();
        }
        writePendingHead();
        long length = body.length();
        if (length > 0) {
            bytesSent += length;
        }
        if (ctx.pipeline().get(ChunkedWriteHandler.class) == null) {
            // Added only when a body streams from a ChunkedInput (files): otherwise it queues every write of every
            // response, one allocation and a queue round trip each. Named so an HTTP/1.1 upgrade removes it.
            ctx.pipeline().addBefore(ctx.name(), Http1Upgrade.CHUNKED, new ChunkedWriteHandler());
        }
        ChannelFuture future = ctx.writeAndFlush(new HttpChunkedInput(body));
        future.addListener(this);
        return future;
    }

    @Override
    public ChannelFuture end() {
        if (endFuture != null) {
            return endFuture;
        }
        if (done) {
            return ctx.newSucceededFuture();
        }
        requireHead();
        HttpResponse head = pendingHead;
        pendingHead = null;
        return ended(ctx.writeAndFlush(head == null ? LastHttpContent.EMPTY_LAST_CONTENT
                : whole(head, Unpooled.EMPTY_BUFFER)));
    }

    @Override
    public ChannelFuture end(ByteBuf last) {
        if (endFuture != null || done) {
            last.release();
            return end();
        }
        requireHead();
        if (!bodyAllowed || !last.isReadable()) {
            last.release();
            return end();
        }
        bytesSent += last.readableBytes();
        HttpResponse head = pendingHead;
        pendingHead = null;
        return ended(ctx.writeAndFlush(head == null ? new DefaultLastHttpContent(last) : whole(head, last)));
    }

    private ChannelFuture ended(ChannelFuture future) {
        endFuture = future;
        future.addListener(this);
        return future;
    }

    private void requireHead() {
        if (!headSent) {
            throw new IllegalStateException("sendHead first");
        }
    }

    @Override
    public void respond(HttpResponseStatus responseStatus, HttpHeaders headers, ByteBuf body) {
        int code = responseStatus.code();
        if (code != 204 && code != 304) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        if (done) {
            // The client is already gone (its channel or stream closed): the writes fail; kept as they always were.
            sendHead(responseStatus, headers);
            writePendingHead();
            if (bodyAllowed && body.isReadable()) {
                bytesSent += body.readableBytes();
                ctx.writeAndFlush(new DefaultLastHttpContent(body));
            } else {
                body.release();
            }
            return;
        }
        prepareHead(responseStatus, headers);
        writeWhole(responseStatus, headers, body);
    }

    private void writeWhole(HttpResponseStatus responseStatus, HttpHeaders headers, ByteBuf body) {
        ByteBuf content;
        if (bodyAllowed && body.isReadable()) {
            bytesSent += body.readableBytes();
            content = body;
        } else {
            body.release();
            content = Unpooled.EMPTY_BUFFER;
        }
        // Head and body as one message: one trip down the pipeline, one promise, and (HTTP/1.1) a small body is
        // encoded into the same buffer as the head, so the response leaves in one TLS record.
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, responseStatus, content, headers,
                EmptyHttpHeaders.INSTANCE)).addListener(this);
    }

    @Override
    public void respond(HttpResponseStatus responseStatus, FixedHeaders fixed, ByteBuf body) {
        int code = responseStatus.code();
        // The shared headers are final as they are only when nothing about this exchange changes them: no
        // Connection header to add, no length to drop (204, 304) or rewrite (205, in Netty's encoder).
        if (done || headSent || closeConnection || http10 || code < 200 || code == 204 || code == 205 || code == 304
                || body.readableBytes() != fixed.contentLength() || http1() && largeUnreadBody()) {
            HttpHeaders copy = fixed.copy();
            if (code == 204 || code == 304) {
                copy.remove(HttpHeaderNames.CONTENT_LENGTH); // as respond() does: no length for a body not there
            }
            respond(responseStatus, copy, body);
            return;
        }
        startHead(responseStatus);
        ResponseHeaderPolicy policy = site.headerPolicy();
        AsciiString altSvc = altSvc();
        AsciiString date = HttpDate.now();
        HttpHeaders headers = fixed.finished(policy, altSvc, date);
        if (headers == null) {
            headers = fixed.finish(policy, altSvc, date, h -> applyFilters(h, policy, altSvc));
        }
        writeWhole(responseStatus, headers, body);
    }

    /** The whole response was written (or failed): the exchange ends. */
    @Override
    public void operationComplete(ChannelFuture future) {
        complete(future.isSuccess());
    }

    @Override
    public void sendError(HttpResponseStatus errorStatus) {
        sendError(errorStatus, null);
    }

    @Override
    public void sendError(HttpResponseStatus errorStatus, HttpHeaders extraHeaders) {
        if (done) {
            return;
        }
        if (headSent) {
            abort();
            return;
        }
        int code = errorStatus.code();
        if (code == 400 || code == 408 || code == 413 || code == 414 || code == 431) {
            closeConnection = true;
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        if (extraHeaders != null) {
            headers.add(extraHeaders);
        }
        headers.set(HttpHeaderNames.CONTENT_TYPE, ErrorPages.CONTENT_TYPE);
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        respond(errorStatus, headers, ErrorPages.render(ctx.alloc(), errorStatus, request.requestId()));
    }

    /** Sets the Connection: close decision before the head is sent (e.g. a request with Connection: close). */
    void closeAfterResponse() {
        closeConnection = true;
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void onWritable(Runnable task) {
        if (ctx.channel().isWritable()) {
            task.run();
        } else {
            writableTask = task;
        }
    }

    /** Called by the dispatcher when the channel's writability changed. */
    void writabilityChanged() {
        Runnable task = writableTask;
        if (task != null && ctx.channel().isWritable()) {
            writableTask = null;
            task.run();
        }
    }

    @Override
    public void onAbort(Runnable task) {
        if (abortTasks == null) {
            abortTasks = new ArrayList<>(2);
        }
        abortTasks.add(task);
    }

    @Override
    public boolean headSent() {
        return headSent;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public void abort() {
        if (done) {
            return;
        }
        ctx.channel().close();
        clientGone();
    }

    /** The client went away (connection closed or stream reset) before the response ended. */
    void clientGone() {
        if (done) {
            return;
        }
        failBody(new java.nio.channels.ClosedChannelException());
        List<Runnable> tasks = abortTasks;
        abortTasks = null;
        complete(false);
        if (tasks != null) {
            tasks.forEach(Runnable::run);
        }
    }

    @Override
    public boolean switchProtocols(HttpHeaders headers, Consumer<Channel> onSwitched) {
        if (!http1() || headSent) {
            return false;
        }
        headSent = true;
        status = 101;
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
                Unpooled.EMPTY_BUFFER, headers, new DefaultHttpHeaders()));
        Channel channel = ctx.channel();
        complete(true);
        Http1Upgrade.handOver(ctx.pipeline(), channel, onSwitched);
        return true;
    }

    /**
     * The connection's JA4 fingerprint, for the access log line. Kept apart from the other attributes: it is there on
     * nearly every request, and a map per request only for it would be the hot path's largest avoidable allocation.
     */
    void ja4(String fingerprint) {
        this.ja4 = fingerprint;
    }

    @Override
    public void logAttribute(String key, String value) {
        if (runtime.accessLog() == null) {
            return; // only the access log line reads them; access_log changes only with a restart
        }
        if (logAttributes == null) {
            logAttributes = new LinkedHashMap<>(4);
        }
        logAttributes.put(key, value);
    }

    private void complete(boolean success) {
        if (done) {
            return;
        }
        done = true;
        if (!success && headSent) {
            ctx.channel().close();
        }
        if (receiver == null) {
            releasePending();
        }
        runtime.stats().requestEnded();
        site.meters().record(request.protocol(), status, System.nanoTime() - startNanos, bytesSent);
        runtime.statusSent(status, request.remote());
        if (runtime.accessLog() != null) {
            runtime.accessLog().log(logEntry());
        }
    }

    private AccessLogEntry logEntry() {
        Request r = request;
        String tlsVersion = r.tls() == null ? null : r.tls().version();
        String tlsCipher = r.tls() == null ? null : r.tls().cipher();
        long elapsedNanos = System.nanoTime() - startNanos;
        // The start's wall-clock time is derived here, not read per request: with the access log off it is not needed.
        long startMillis = System.currentTimeMillis() - elapsedNanos / 1_000_000;
        return new AccessLogEntry(startMillis, r.requestId(), r.remote().getAddress().getHostAddress(), r.host(),
                r.method().name(), r.rawUri(), status, bytesSent, elapsedNanos / 1000,
                r.protocol().logName(), tlsVersion, tlsCipher, r.headers().get(HttpHeaderNames.USER_AGENT),
                r.headers().get(HttpHeaderNames.REFERER), logAttributes());
    }

    private Map<String, String> logAttributes() {
        if (logAttributes == null) {
            return ja4 == null ? Map.of() : Map.of("ja4", ja4);
        }
        if (ja4 == null) {
            return logAttributes;
        }
        Map<String, String> all = new LinkedHashMap<>(logAttributes.size() * 2 + 2);
        all.put("ja4", ja4);
        all.putAll(logAttributes);
        return all;
    }

    /** Thrown into the body receiver when the body passes the route's limit. */
    public static final class BodyTooLargeException extends Exception {
        BodyTooLargeException(long limit) {
            super("request body larger than " + limit + " bytes", null, false, false);
        }
    }

}
