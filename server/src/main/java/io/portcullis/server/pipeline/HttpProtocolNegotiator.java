package io.portcullis.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.guard.ClientCertGuard;
import io.portcullis.server.guard.ProxyProtocolHandler;
import io.portcullis.server.ServerStats;
import io.portcullis.server.exchange.ConnectionInfo;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.TlsInfo;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses HTTP/2 or HTTP/1.1 by ALPN once the handshake is done, and records what the handshake settled on. A failed
 * handshake (old protocol version, no shared cipher, not TLS at all) is counted and logged with its reason; the
 * connection is closed and nothing else is affected.
 */
final class HttpProtocolNegotiator extends ApplicationProtocolNegotiationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HttpProtocolNegotiator.class);

    private final Supplier<ServerRuntime> runtime;
    private final ServerStats stats;
    private String serverName;

    HttpProtocolNegotiator(Supplier<ServerRuntime> runtime, ServerStats stats) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.runtime = runtime;
        this.stats = stats;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SniCompletionEvent sni) {
            serverName = sni.hostname();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession session = ssl.engine().getSession();
        TlsInfo tls = new TlsInfo(session.getProtocol(), session.getCipherSuite(), serverName, protocol,
                ClientCertGuard.subject(ssl.engine()));
        InetSocketAddress proxied = ctx.channel().attr(ProxyProtocolHandler.CLIENT).get();
        ConnectionInfo info = new ConnectionInfo(
                proxied != null ? proxied : (InetSocketAddress) ctx.channel().remoteAddress(),
                (InetSocketAddress) ctx.channel().localAddress(), tls, "https");
        ServerRuntime rt = runtime.get();
        rt.metrics().handshakeCompleted(tls.version());
        boolean h2 = ApplicationProtocolNames.HTTP_2.equals(protocol);
        ctx.pipeline().addFirst("send-timeout", new SendTimeoutHandler(rt.config().limits().idleTimeout().toMillis(),
                runtime, h2 ? Protocol.HTTP_2 : Protocol.HTTP_1_1, info.remote()));
        if (h2) {
            Http2Pipeline.install(ctx.pipeline(), rt.config().limits(), runtime, info);
        } else {
            Http1Pipeline.install(ctx.pipeline(), rt.config().limits(), runtime, info);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        stats.handshakeFailed();
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        String reason = HandshakeFailures.reason(cause);
        runtime.get().metrics().handshakeFailed(HandshakeFailures.kind(cause));
        LOG.info("TLS handshake from {} failed: {}", remote == null ? "?" : remote.getAddress().getHostAddress(),
                reason);
        InetSocketAddress proxied = ctx.channel().attr(ProxyProtocolHandler.CLIENT).get();
        runtime.get().audit("handshake_failed", proxied != null ? proxied : remote, "kind",
                HandshakeFailures.kind(cause), "reason", reason, "sni", serverName);
        ctx.close();
    }
}
