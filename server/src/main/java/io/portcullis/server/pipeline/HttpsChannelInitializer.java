package io.portcullis.server.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.portcullis.certs.acme.AcmeChallenges;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.ServerStats;
import io.portcullis.server.guard.ConnectionLimitHandler;
import io.portcullis.server.guard.Ja4Handler;
import io.portcullis.server.guard.ProxyProtocolHandler;
import io.portcullis.server.guard.ban.BanHandler;
import io.portcullis.server.transport.NoReadAfterClose;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The pipeline of every connection on the https listener, in the order bytes meet it:
 * <ol>
 *   <li>with {@code proxy_protocol: true}: {@link ProxyProtocolHandler} reads the PROXY header from a trusted load
 *       balancer and notes the client's address;</li>
 *   <li>{@link SniHandler}: reads the ClientHello, picks the site's certificate by SNI, becomes the TLS handler
 *       (BoringSSL), with the handshake bounded by the header timeout;</li>
 *   <li>{@link HttpProtocolNegotiator}: after the handshake, ALPN {@code h2} installs HTTP/2 (one stream channel per
 *       request, see {@link Http2StreamInitializer}), anything else HTTP/1.1 (see {@link Http1Pipeline});</li>
 *   <li>both end in the same {@link io.portcullis.server.exchange.RequestDispatcher}, so handlers never know which.</li>
 * </ol>
 */
public final class HttpsChannelInitializer extends ChannelInitializer<Channel> {
    private final Mapping<String, SslContext> sni;
    private final Supplier<ServerRuntime> runtime;
    private final ServerStats stats;
    private final ChannelGroup connections;
    private final AcmeChallenges acme;
    private final Function<SslContext, byte[]> staples;

    public HttpsChannelInitializer(Mapping<String, SslContext> sni, Supplier<ServerRuntime> runtime, ServerStats stats,
                                   ChannelGroup connections) {
        this(sni, runtime, stats, connections, null, null);
    }

    /**
     * @param acme    TLS-ALPN-01 answers to serve to {@code acme-tls/1} handshakes; null when ACME is off
     * @param staples the OCSP response to staple for a context (or null); null when stapling is off
     */
    public HttpsChannelInitializer(Mapping<String, SslContext> sni, Supplier<ServerRuntime> runtime, ServerStats stats,
                                   ChannelGroup connections, AcmeChallenges acme,
                                   Function<SslContext, byte[]> staples) {
        this.acme = acme;
        this.staples = staples;
        this.sni = sni;
        this.runtime = runtime;
        this.stats = stats;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        NoReadAfterClose.install(ch.pipeline());
        connections.add(ch);
        runtime.get().metrics().connectionAccepted("https");
        long handshakeTimeout = runtime.get().config().limits().headerTimeout().toMillis();
        if (runtime.get().config().listeners().https().proxyProtocol()) {
            ProxyProtocolHandler.install(ch.pipeline(), runtime.get());
        }
        ConnectionLimitHandler.install(ch, runtime.get(), true);
        BanHandler.install(ch, runtime.get().bans());
        ch.pipeline().addLast("ja4", new Ja4Handler(runtime.get().metrics()));
        ch.pipeline().addLast("sni", acme == null && staples == null ? new SniHandler(sni, 16 * 1024, handshakeTimeout)
                : new AcmeAwareSniHandler(sni, acme == null ? new AcmeChallenges() : acme, staples, 16 * 1024,
                        handshakeTimeout));
        ch.pipeline().addLast("negotiator", new HttpProtocolNegotiator(runtime, stats));
    }
}
