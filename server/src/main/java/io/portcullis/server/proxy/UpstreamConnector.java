package io.portcullis.server.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.portcullis.config.ProxyConfig;
import io.portcullis.config.UpstreamTlsConfig;
import io.portcullis.server.transport.NoReadAfterClose;
import io.portcullis.server.transport.Transport;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens upstream connections on the requesting event loop (no thread hops): TCP, then TLS for https upstreams, then an
 * HTTP/1.1 client codec. The returned future completes once the connection is ready for a request, TLS handshake
 * included, so {@code connectTimeout} bounds both.
 */
final class UpstreamConnector {
    private static final Logger log = LoggerFactory.getLogger(UpstreamConnector.class);
    /** Large decoded chunks: fewer messages per megabyte on big bodies; the bytes are slices, never copies. */
    private static final int MAX_CHUNK = 64 * 1024;

    private final Transport transport;
    private final int connectMillis;
    private final long idleNanos;
    private final SslContext sslContext;
    private final String serverName;

    UpstreamConnector(ProxyConfig config, Transport transport, boolean needsTls) {
        this.transport = transport;
        this.connectMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.connectTimeout().toMillis()));
        this.idleNanos = Math.max(1, config.idleTimeout().toNanos());
        UpstreamTlsConfig tls = config.tls() == null ? new UpstreamTlsConfig(true, null, null) : config.tls();
        this.serverName = tls.serverName();
        this.sslContext = needsTls ? buildSslContext(tls) : null;
    }

    static SslContext buildSslContext(UpstreamTlsConfig tls) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
            if (tls.verify()) {
                b.endpointIdentificationAlgorithm("HTTPS");
                if (tls.caFile() != null) {
                    b.trustManager(tls.caFile().toFile());
                }
            } else {
                log.warn("proxy: TLS verification of upstream certificates is OFF (tls.verify: false); "
                        + "connections to https upstreams can be intercepted");
                b.endpointIdentificationAlgorithm(null).trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy.tls: cannot build the upstream TLS context"
                    + (tls.caFile() != null ? " from ca_file " + tls.caFile() : "") + ": " + e.getMessage(), e);
        }
    }

    Future<UpstreamConnection> connect(Upstream upstream, EventLoop loop) {
        Promise<UpstreamConnection> ready = loop.newPromise();
        UpstreamConnection conn = new UpstreamConnection(upstream, idleNanos);
        SslHandler[] tls = new SslHandler[1];
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(OffLoopResolver.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .option(ChannelOption.AUTO_READ, false) // reads are driven by the client's demand (backpressure)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        NoReadAfterClose.install(ch.pipeline());
                        if (upstream.secure()) {
                            String sni = serverName != null ? serverName : upstream.host();
                            tls[0] = sslContext.newHandler(ch.alloc(), sni, upstream.port());
                            tls[0].setHandshakeTimeoutMillis(connectMillis);
                            ch.pipeline().addLast("tls", tls[0]);
                        }
                        ch.pipeline().addLast(UpstreamConnection.CODEC, new HttpClientCodec(
                                new HttpDecoderConfig().setMaxChunkSize(MAX_CHUNK), false, false));
                        ch.pipeline().addLast(UpstreamConnection.NAME, conn);
                    }
                });
        ChannelFuture connected = b.connect(upstream.address());
        connected.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
            } else if (tls[0] == null) {
                ready.trySuccess(conn);
            } else {
                tls[0].handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        ready.trySuccess(conn);
                    } else {
                        f.channel().close();
                        ready.tryFailure(h.cause());
                    }
                });
            }
        });
        return ready;
    }

    /**
     * Resolves upstream host names with the JDK resolver on Netty's global executor thread, never on an event loop
     * (the JDK lookup blocks). IP-literal upstreams are already resolved and skip this entirely.
     */
    private static final class OffLoopResolver extends AddressResolverGroup<InetSocketAddress> {
        static final OffLoopResolver INSTANCE = new OffLoopResolver();

        @Override
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
            return new DefaultNameResolver(GlobalEventExecutor.INSTANCE).asAddressResolver();
        }
    }
}
