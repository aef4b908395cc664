package io.portcullis.server.exchange;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.config.AccessConfig;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.guard.AccessGuard;
import io.portcullis.server.guard.ClientAddressResolver;
import io.portcullis.server.guard.ClientCertGuard;
import io.portcullis.server.guard.Ja4Handler;
import io.portcullis.server.guard.auth.BasicAuthGuard;
import io.portcullis.server.guard.ratelimit.RateLimitGuard;
import java.net.InetSocketAddress;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import io.portcullis.server.route.Route;
import io.portcullis.server.route.Site;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of every HTTP pipeline (HTTP/1.1 connection, HTTP/2 stream, HTTP/3 stream): validates the request
 * head, finds the site and route, and hands a {@link ChannelExchange} to the route's handler. Body chunks that follow
 * go to that exchange.
 */
public final class RequestDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Supplier<ServerRuntime> runtime;
    private final Protocol protocol;
    private final ConnectionInfo connection;
    /** The exchange still receiving its request body. */
    private ChannelExchange current;
    /** The exchange whose response is being written (the same as current until the body is read). */
    private ChannelExchange active;
    private ClientAddressResolver resolver;
    private ServerRuntime resolverRuntime;

    public RequestDispatcher(Supplier<ServerRuntime> runtime, Protocol protocol, ConnectionInfo connection) {
        this.runtime = runtime;
        this.protocol = protocol;
        this.connection = connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // HTTP/2 and HTTP/3 stream channels run with auto-read off; the request head is read here.
        if (protocol != Protocol.HTTP_1_1) {
            ctx.read();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            onRequest(ctx, request);
        }
        if (msg instanceof HttpContent content) {
            ChannelExchange exchange = current;
            if (exchange == null) {
                content.release();
                return;
            }
            if (content.decoderResult().isFailure()) {
                content.release();
                exchange.onBodyFailure(content.decoderResult().cause());
                exchange.closeAfterResponse();
                exchange.sendError(HttpResponseStatus.BAD_REQUEST);
                ctx.close();
                return;
            }
            if (content instanceof LastHttpContent) {
                current = null;
            }
            exchange.onContent(content);
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest msg) {
        ServerRuntime rt = runtime.get();
        RequestHeadParser.Result parsed = RequestHeadParser.parse(msg, protocol, connection, rt.config().limits());
        if (parsed.rejection() != null) {
            reject(ctx, rt, msg, parsed.rejection(), parsed.reason());
            return;
        }
        Request request = parsed.request();
        if (!rt.config().trustedProxies().isEmpty()) {
            InetSocketAddress client = clientAddresses(rt).resolve(request.peer(), request.headers());
            if (client != request.peer()) {
                request = request.withClient(client);
            }
        }
        if (rt.bans() != null && !rt.bans().isEmpty()
                && rt.bans().isBanned(request.remote().getAddress().getHostAddress(), java.time.Instant.now())) {
            // A banned client behind a trusted proxy: its address is known only now, not at accept.
            Channel ch = ctx.channel();
            (protocol != Protocol.HTTP_1_1 && ch.parent() != null ? ch.parent() : ch).close();
            return;
        }
        Site site = rt.sites().lookup(request.host());
        boolean misdirected = !ClientCertGuard.admit(site.config(), rt.sites(), connection.tls(), request.headers());
        boolean http1 = protocol == Protocol.HTTP_1_1;
        boolean keepAlive = !http1 || HttpUtil.isKeepAlive(msg);
        boolean http10 = http1 && msg.protocolVersion() == HttpVersion.HTTP_1_0;
        String expect = msg.headers().get(HttpHeaderNames.EXPECT);
        boolean expectContinue = expect != null && "100-continue".equalsIgnoreCase(expect);

        Route route = site.route(request.method(), request.path());
        long maxBody = route != null ? route.maxBodyBytes() : rt.config().limits().maxBodyBytes();
        ChannelExchange exchange = new ChannelExchange(ctx, request, site, rt, maxBody, keepAlive, expectContinue,
                http10);
        current = exchange;
        active = exchange;
        String ja4 = Ja4Handler.of(ctx.channel());
        exchange.ja4(ja4);
        boolean earlyData = EarlyDataPolicy.inEarlyData(request);
        if (earlyData) {
            exchange.logAttribute("early_data", "1");
        }
        AccessGuard.Denial denial = AccessGuard.check(site.config().access(),
                route == null ? null : route.config().access(), route == null ? -1 : route.index(),
                request.remote().getAddress(), ja4);
        if (earlyData && EarlyDataPolicy.tooEarly(request)) {
            // Before any guard or handler: a replayed copy must have no effect at all, not even on rate limits.
            exchange.sendError(EarlyDataPolicy.TOO_EARLY);
        } else if (misdirected) {
            exchange.logAttribute("denied", "client_auth");
            rt.audit("access_denied", request.remote(), "rule", "client_auth", "action", "misdirected", "host",
                    request.host(), "uri", request.rawUri(), "request_id", request.requestId(), "ja4", ja4);
            exchange.sendError(HttpResponseStatus.MISDIRECTED_REQUEST);
        } else if (denial != null) {
            rt.audit("access_denied", request.remote(), "rule", denial.rule(), "action",
                    denial.action().name().toLowerCase(java.util.Locale.ROOT), "host", request.host(), "uri",
                    request.rawUri(), "request_id", request.requestId(), "ja4", ja4);
            deny(ctx, exchange, denial);
        } else if (route != null && route.config().rateLimit() != null
                && rateLimited(rt, site, route, exchange, ja4)) {
            return;
        } else if (expect != null && !expectContinue) {
            exchange.sendError(HttpResponseStatus.EXPECTATION_FAILED);
        } else if (request.contentLength() > maxBody) {
            exchange.closeAfterResponse();
            exchange.sendError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        } else if (route == null) {
            if (site.pathMatchesOtherMethod(request.path())) {
                exchange.sendError(HttpResponseStatus.METHOD_NOT_ALLOWED, new DefaultHttpHeaders()
                        .set(HttpHeaderNames.ALLOW, String.join(", ", site.allowedMethods(request.path()))));
            } else {
                exchange.sendError(HttpResponseStatus.NOT_FOUND);
            }
        } else if (route.config().basicAuth() != null) {
            Request r = request;
            BasicAuthGuard.authorize(exchange, route.config().basicAuth(), () -> invoke(exchange, site, route),
                    () -> rt.audit("auth_failed", r.remote(), "rule", "route " + route.index(), "host", r.host(),
                            "uri", r.rawUri(), "request_id", r.requestId()));
        } else {
            invoke(exchange, site, route);
        }
    }

    private static void invoke(ChannelExchange exchange, Site site, Route route) {
        try {
            route.handler().handle(exchange);
        } catch (RuntimeException e) {
            LOG.error("request {}: handler for route {} of {} failed", exchange.request().requestId(), route.index(),
                    site.name(), e);
            exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }
    }

    private ClientAddressResolver clientAddresses(ServerRuntime rt) {
        if (resolverRuntime != rt) { // rebuilt once per config, not per request
            resolver = new ClientAddressResolver(rt.config().trustedProxies());
            resolverRuntime = rt;
        }
        return resolver;
    }

    /** True when the route's bucket for this request is empty; then 429 with Retry-After has been sent. */
    private static boolean rateLimited(ServerRuntime rt, Site site, Route route, ChannelExchange exchange,
                                       String ja4) {
        Request request = exchange.request();
        long wait = RateLimitGuard.check(rt.rateLimits(), route.config().rateLimit(),
                site.name() + "#" + route.index(), request, ja4);
        if (wait == 0) {
            return false;
        }
        long seconds = RateLimitGuard.retryAfterSeconds(wait);
        exchange.logAttribute("rate_limited", "route " + route.index());
        rt.audit("rate_limited", request.remote(), "rule", "route " + route.index(), "host", request.host(), "uri",
                request.rawUri(), "retry_after", Long.toString(seconds), "request_id", request.requestId(),
                "ja4", ja4);
        exchange.sendError(HttpResponseStatus.TOO_MANY_REQUESTS,
                new DefaultHttpHeaders().set(HttpHeaderNames.RETRY_AFTER, seconds));
        return true;
    }

    /** A request refused by the address rules: 403, or the whole connection closed without a word. */
    private void deny(ChannelHandlerContext ctx, ChannelExchange exchange, AccessGuard.Denial denial) {
        exchange.logAttribute("denied", denial.rule());
        if (denial.action() == AccessConfig.Denied.CLOSE) {
            current = null;
            // On HTTP/2 and HTTP/3 the stream's parent is the connection: closing only the stream would still answer
            // (a reset). On HTTP/1.1 the parent is the listening socket, so the connection itself is closed.
            Channel ch = ctx.channel();
            (protocol != Protocol.HTTP_1_1 && ch.parent() != null ? ch.parent() : ch).close();
            exchange.clientGone();
        } else {
            exchange.sendError(HttpResponseStatus.FORBIDDEN);
        }
    }

    /** Answers a request that failed validation: the error page with a request id, logged, connection closed. */
    private void reject(ChannelHandlerContext ctx, ServerRuntime rt, HttpRequest msg, HttpResponseStatus status,
                        String reason) {
        String uri = msg.uri() == null ? "" : msg.uri();
        String safeUri = uri.length() > 256 ? uri.substring(0, 256) + "..." : uri;
        Request request = new Request(msg.method() == null ? HttpMethod.GET : msg.method(), connection.scheme(), null,
                null, "/", safeUri, null, new DefaultHttpHeaders(), 0, protocol, connection.remote(),
                connection.local(), connection.tls(), null);
        rt.audit("malformed_request", connection.remote(), "status", Integer.toString(status.code()), "reason", reason,
                "request_id", request.requestId());
        LOG.info("request {} from {} rejected with {}: {}", request.requestId(),
                connection.remote().getAddress().getHostAddress(), status.code(), reason);
        ChannelExchange exchange = new ChannelExchange(ctx, request, rt.sites().defaultSite(), rt, 0, false, false,
                false);
        current = null;
        // 400-class rejections close the connection: framing of what follows cannot be trusted, so requests already
        // decoded behind this one stay queued and are never answered.
        exchange.sendError(status);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (active != null) {
            active.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (active != null) {
            active.clientGone();
        }
        if (current != null && current != active) {
            current.clientGone();
        }
        current = null;
        active = null;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (LOG.isDebugEnabled()) {
            // Guarded: clients that reset connections (every handshake benchmark does) would pay for toString() here.
            LOG.debug("connection from {} failed: {}", connection.remote(), cause.toString());
        }
        ctx.close();
    }
}
