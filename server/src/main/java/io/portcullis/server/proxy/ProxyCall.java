package io.portcullis.server.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FutureListener;
import io.portcullis.server.http.Exchange;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request, from choosing an upstream to the last response byte. Lives on the exchange's event loop (so
 * needs no locking) and owns its upstream connection while it runs.
 *
 * <p>Failure rules, nginx-like: a connect failure is retried once on another upstream for idempotent methods; a
 * reused keep-alive connection that dies before any response byte (the upstream closed it as we reused it) is retried
 * once on a fresh connection when the request had no body yet; otherwise before the response head the client gets
 * 502 (or 504 for a timeout), and after it the client connection or stream is aborted, never hung.
 */
final class ProxyCall implements UpstreamListener, RequestBodyRelay.Events {
    private static final Logger log = LoggerFactory.getLogger(ProxyCall.class);

    private enum Phase { CONNECTING, SENDING, STREAMING, UPGRADING, DONE }

    private final ProxyHandler handler;
    private final Exchange exchange;
    private final Request request;
    private final EventLoop loop;
    private final boolean idempotent;
    private final boolean webSocket;
    private String tried;

    private Phase phase = Phase.CONNECTING;
    private Upstream upstream;
    private boolean holdsUpstream;
    private UpstreamConnection conn;
    private boolean retriedConnect;
    private boolean retriedStale;
    private boolean requestSent;
    private boolean headReceived;
    private boolean keepAlive;
    private boolean skipInterimEnd;
    private RequestBodyRelay body;
    private ResponseRelay response;
    private WebSocketRelay webSocketRelay;

    ProxyCall(ProxyHandler handler, Exchange exchange) {
        this.handler = handler;
        this.exchange = exchange;
        this.request = exchange.request();
        this.loop = exchange.eventLoop();
        this.idempotent = UpstreamRequest.isIdempotent(request.method());
        this.webSocket = request.protocol() == Protocol.HTTP_1_1 && HopByHopHeaders.isWebSocketUpgrade(request.headers());
    }

    void start() {
        exchange.onAbort(this::clientGone);
        attempt(handler.select(null), false);
    }

    private void attempt(Upstream target, boolean freshConnection) {
        phase = Phase.CONNECTING;
        upstream = target;
        target.acquired();
        holdsUpstream = true;
        tried = tried == null ? target.logName() : tried + ", " + target.logName();
        exchange.logAttribute("upstream", tried);
        UpstreamConnection pooled = freshConnection ? null : handler.pool(loop).poll(target);
        if (pooled != null) {
            connected(pooled);
            return;
        }
        handler.connector().connect(target, loop).addListener((FutureListener<UpstreamConnection>) f -> {
            if (phase == Phase.DONE || upstream != target) {
                if (f.isSuccess()) {
                    f.getNow().close(); // the client left while we were connecting
                }
            } else if (f.isSuccess()) {
                connected(f.getNow());
            } else {
                connectFailed(target, f.cause());
            }
        });
    }

    private void connectFailed(Upstream target, Throwable cause) {
        log.warn("proxy: connect to upstream {} failed: {} (request {})", target.logName(), cause.toString(),
                request.requestId());
        noteFailure(target);
        releaseUpstream();
        if (idempotent && !retriedConnect && !exchange.isDone()) {
            retriedConnect = true;
            attempt(handler.select(target), false);
            return;
        }
        finish();
        exchange.sendError(HttpResponseStatus.BAD_GATEWAY);
    }

    private void connected(UpstreamConnection c) {
        conn = c;
        c.owner(this);
        c.use();
        phase = Phase.SENDING;
        Channel ch = c.channel();
        // Write results are checked against the connection still being ours: after a retry, late failures of the
        // abandoned connection must not fail the new attempt.
        if (request.hasBody()) {
            c.writeAndFlush(UpstreamRequest.head(request, webSocket)).addListener(f -> {
                if (!f.isSuccess() && conn == c) {
                    upstreamWriteFailed(f.cause());
                }
            });
            body = new RequestBodyRelay(exchange, c, this);
            exchange.receiveBody(body);
        } else if (UpstreamRequest.encodable(request, webSocket)) {
            // The common bodiless request goes as bytes written straight from the request (no header map, no encoder
            // pass) and without a future: a failed write closes the connection, which reports it (onClosed).
            c.writeEncoded(UpstreamRequest.encoded(request, ch.alloc()));
            if (conn != c) {
                return; // the write failed at once and the failure was handled (a retry may own conn now)
            }
            bodyFullySent();
        } else {
            // HEAD, CONNECT and WebSocket handshakes go as one message the codec sees, head and (empty) end together.
            c.writeAndFlush(UpstreamRequest.whole(request, webSocket)).addListener(f -> {
                if (conn != c) {
                    return;
                }
                if (f.isSuccess()) {
                    bodyFullySent();
                } else {
                    upstreamWriteFailed(f.cause());
                }
            });
        }
        ch.read(); // read the response as soon as it comes, even while the body is still being sent (early 413s)
    }


    @Override
    public boolean active() {
        return phase == Phase.SENDING || phase == Phase.STREAMING;
    }

    @Override
    public void bodyFullySent() {
        if (!active()) {
            return;
        }
        requestSent = true;
        if (!headReceived) {
            conn.awaitHead(handler.firstByteNanos());
        }
    }

    @Override
    public void upstreamWriteFailed(Throwable cause) {
        upstreamFailed(cause, false);
    }

    @Override
    public void clientBodyFailed(Throwable cause) {
        // the exchange has already answered the client (413, 400) or lost it; the upstream request is incomplete
        if (phase != Phase.DONE) {
            closeConnection();
            finish();
        }
    }

    @Override
    public void onHeadTimeout() {
        if (!headReceived && active()) {
            log.warn("proxy: upstream {} sent no response head within {} (request {})", upstream.logName(),
                    handler.firstByteTimeout(), request.requestId());
            upstreamFailed(null, true);
        }
    }


    @Override
    public void onMessage(Object msg) {
        if (phase == Phase.DONE) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (phase == Phase.UPGRADING) {
            if (msg instanceof io.netty.buffer.ByteBuf bytes) {
                webSocketRelay.early(bytes);
            } else {
                ReferenceCountUtil.release(msg); // the empty end of the 101 response
            }
            return;
        }
        if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            upstreamFailed(o.decoderResult().cause(), false);
            return;
        }
        if (msg instanceof HttpResponse head) {
            onHead(head);
        }
        if (msg instanceof HttpContent content) {
            if (skipInterimEnd || !headReceived || phase != Phase.STREAMING) {
                skipInterimEnd = false;
                content.release();
            } else if (response.onContent(content)) {
                responseEnded();
            }
        } else if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpResponse head) {
        int code = head.status().code();
        if (code == 101 && webSocket) {
            switchToWebSocket(head);
            return;
        }
        if (code >= 100 && code < 200) {
            skipInterimEnd = true; // 100/102/103 are interim: the final head follows (the exchange has no interim API)
            return;
        }
        conn.headArrived();
        headReceived = true;
        phase = Phase.STREAMING;
        upstream.recordSuccess();
        keepAlive = HttpUtil.isKeepAlive(head);
        exchange.logAttribute("upstream_status", head.status().codeAsText().toString()); // cached for standard codes
        Channel ch = conn.channel();
        response = new ResponseRelay(exchange, ch, () -> phase == Phase.STREAMING && conn != null && conn.channel() == ch,
                this::clientWriteFailed);
        exchange.sendHead(head.status(), HopByHopHeaders.stripForResponse(head.headers()));
    }

    /** The relay has ended the client's response with the upstream's last chunk: the upstream goes back or closes. */
    private void responseEnded() {
        UpstreamConnection c = conn;
        conn = null;
        finish();
        if (requestSent && keepAlive && !handler.isClosed()) {
            handler.pool(loop).release(c);
        } else {
            c.close(); // an unfinished request body or Connection: close leaves the connection unusable
        }
    }

    @Override
    public void onReadComplete() {
        if (phase == Phase.SENDING && conn != null) {
            conn.channel().read(); // still waiting for the head: keep reading
        } else if (phase == Phase.STREAMING && response != null) {
            response.onReadComplete();
        }
    }

    @Override
    public void onWritable() {
        if (body != null) {
            body.onUpstreamWritable();
        }
    }

    @Override
    public void onClosed(Throwable cause, boolean idle) {
        if (phase == Phase.DONE || phase == Phase.UPGRADING) {
            return;
        }
        if (idle && requestSent && !headReceived) {
            return; // waiting for the head is governed by the first-byte timeout, which may be longer
        }
        upstreamFailed(cause, idle);
    }


    private void upstreamFailed(Throwable cause, boolean timeout) {
        if (phase == Phase.DONE) {
            return;
        }
        UpstreamConnection c = conn;
        if (!headReceived) {
            boolean stale = c != null && c.reused() && !timeout && (body == null || !body.consumed());
            if (stale && idempotent && body == null && !retriedStale) {
                // The upstream closed a keep-alive connection just as we reused it: not its fault, try a new one.
                retriedStale = true;
                closeConnection();
                requestSent = false;
                Upstream same = upstream;
                releaseUpstream();
                attempt(same, true);
                return;
            }
            log.warn("proxy: upstream {} failed before the response head: {} (request {})", upstream.logName(),
                    timeout ? "timeout" : String.valueOf(cause), request.requestId());
            noteFailure(upstream);
            closeConnection();
            finish();
            exchange.sendError(timeout ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY);
        } else {
            log.warn("proxy: upstream {} failed mid-response: {} (request {})", upstream.logName(),
                    timeout ? "idle timeout" : String.valueOf(cause), request.requestId());
            if (!timeout) {
                noteFailure(upstream); // a stall may be the client's; a reset is the upstream's
            }
            closeConnection();
            finish();
            exchange.abort();
        }
    }

    private void clientWriteFailed() {
        if (phase != Phase.DONE) {
            closeConnection();
            finish();
            exchange.abort();
        }
    }

    /** The client went away: the upstream connection is in an unknown state, so it is closed, never pooled. */
    private void clientGone() {
        if (phase == Phase.DONE) {
            return;
        }
        if (webSocketRelay != null) {
            webSocketRelay.discard();
        }
        closeConnection();
        finish();
    }

    private void noteFailure(Upstream u) {
        if (u.recordFailure(System.nanoTime())) {
            log.warn("proxy: upstream {} is out for {} after {} consecutive failures", u.logName(),
                    handler.failDuration(), handler.maxFails());
        }
    }


    private void switchToWebSocket(HttpResponse head) {
        conn.headArrived();
        phase = Phase.UPGRADING;
        upstream.recordSuccess();
        exchange.logAttribute("upstream_status", "101");
        String upgrade = head.headers().get(HttpHeaderNames.UPGRADE, "websocket");
        HttpHeaders headers = HopByHopHeaders.stripForResponse(head.headers());
        headers.set(HttpHeaderNames.UPGRADE, upgrade);
        headers.set(HttpHeaderNames.CONNECTION, "Upgrade");
        UpstreamConnection c = conn;
        webSocketRelay = new WebSocketRelay(c.channel(), c.idleNanos());
        // The switch is deferred to a fresh task: this head is still being decoded, and bytes the upstream sent right
        // behind it must first come out of the HTTP codec (into the relay's early buffer) before the codec goes.
        boolean switched = exchange.switchProtocols(headers, client -> loop.execute(() -> {
            if (phase != Phase.UPGRADING) {
                client.close();
                return;
            }
            conn = null;
            // the tunnel keeps the upstream busy (least-conn counts it) until it closes
            webSocketRelay.start(client, this::releaseUpstream);
            phase = Phase.DONE;
        }));
        if (!switched) {
            webSocketRelay.discard();
            closeConnection();
            finish();
            exchange.sendError(HttpResponseStatus.BAD_GATEWAY);
        }
    }


    private void closeConnection() {
        UpstreamConnection c = conn;
        conn = null;
        if (c != null) {
            c.owner(null);
            c.close();
        }
    }

    private void finish() {
        phase = Phase.DONE;
        releaseUpstream();
    }

    private void releaseUpstream() {
        if (holdsUpstream) {
            holdsUpstream = false;
            upstream.released();
        }
    }
}
