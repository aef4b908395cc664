package io.portcullis.server.guard;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.config.Cidr;
import io.portcullis.server.ServerRuntime;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage on a listener with {@code proxy_protocol: true}: a connection from a peer outside
 * {@code trusted_proxies} is closed before a byte is read (anyone else could claim any address); from a trusted peer,
 * Netty's {@link HAProxyMessageDecoder} reads the v1 or v2 header and this handler stores the client address it
 * carries in {@link #CLIENT}, then leaves the pipeline. A {@code LOCAL} header (the balancer's own health check) keeps
 * the peer's address. A missing or malformed header closes the connection.
 */
public final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolHandler.class);
    /** The client address from the PROXY header, on the parent channel; absent for LOCAL. */
    public static final AttributeKey<InetSocketAddress> CLIENT = AttributeKey.valueOf("portcullis.proxyProtocolClient");

    private final ClientAddressResolver trusted;
    private final ServerRuntime runtime;

    private ProxyProtocolHandler(ClientAddressResolver trusted, ServerRuntime runtime) {
        this.trusted = trusted;
        this.runtime = runtime;
    }

    /** Adds the decoder and this handler at the front of a connection's pipeline. */
    public static void install(ChannelPipeline pipeline, ServerRuntime runtime) {
        List<Cidr> trustedProxies = runtime.config().trustedProxies();
        pipeline.addFirst("proxy-protocol", new ProxyProtocolHandler(new ClientAddressResolver(trustedProxies),
                runtime));
        pipeline.addFirst("proxy-protocol-decoder", new HAProxyMessageDecoder());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        if (peer == null || !trusted.isTrusted(peer.getAddress())) {
            LOG.info("connection from {} closed: not a trusted proxy on a PROXY protocol listener",
                    peer == null ? "?" : peer.getAddress().getHostAddress());
            runtime.audit("proxy_protocol_refused", peer, "reason", "not a trusted proxy");
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            // The decoder passes bytes on only after a header, so this is never the first message.
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null
                    && (header.proxiedProtocol() == HAProxyProxiedProtocol.TCP4
                    || header.proxiedProtocol() == HAProxyProxiedProtocol.TCP6)) {
                java.net.InetAddress source = ClientAddressResolver.literal(header.sourceAddress());
                if (source != null) {
                    ctx.channel().attr(CLIENT).set(new InetSocketAddress(source, header.sourcePort()));
                }
            }
        } finally {
            ReferenceCountUtil.release(header);
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("connection from {} closed: bad PROXY protocol header: {}", ctx.channel().remoteAddress(),
                cause.getMessage());
        runtime.audit("proxy_protocol_refused", (InetSocketAddress) ctx.channel().remoteAddress(), "reason",
                "bad PROXY header: " + cause.getMessage());
        ctx.close();
    }
}
