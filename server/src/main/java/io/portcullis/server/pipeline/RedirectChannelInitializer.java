package io.portcullis.server.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.portcullis.config.LimitsConfig;
import io.portcullis.certs.acme.AcmeChallenges;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.guard.ConnectionLimitHandler;
import io.portcullis.server.exchange.Http1Upgrade;
import io.portcullis.server.transport.NoReadAfterClose;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The plain-HTTP listener (port 80): the same HTTP/1.1 connection discipline as the https listener (strict decoding,
 * header timeout against slowloris, idle timeout, ordered pipelining, lingering close, graceful drain), then
 * {@link HttpsRedirectHandler}.
 */
public final class RedirectChannelInitializer extends ChannelInitializer<Channel> {
    private final Supplier<ServerRuntime> runtime;
    private final ChannelGroup connections;
    private final IntSupplier httpsPort;
    private final AcmeChallenges acme;

    public RedirectChannelInitializer(Supplier<ServerRuntime> runtime, ChannelGroup connections,
                                      IntSupplier httpsPort) {
        this(runtime, connections, httpsPort, null);
    }

    /** @param acme HTTP-01 answers to serve under {@code /.well-known/acme-challenge/}; null when ACME is off */
    public RedirectChannelInitializer(Supplier<ServerRuntime> runtime, ChannelGroup connections,
                                      IntSupplier httpsPort, AcmeChallenges acme) {
        this.acme = acme;
        this.runtime = runtime;
        this.connections = connections;
        this.httpsPort = httpsPort;
    }

    @Override
    protected void initChannel(Channel ch) {
        NoReadAfterClose.install(ch.pipeline());
        connections.add(ch);
        runtime.get().metrics().connectionAccepted("http");
        ConnectionLimitHandler.install(ch, runtime.get(), false);
        LimitsConfig limits = runtime.get().config().limits();
        ch.config().setAutoRead(false);
        InboundActivity activity = new InboundActivity();
        HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxUriBytes() + 64)
                .setMaxHeaderSize(limits.maxHeaderBytes());
        ChannelPipeline p = ch.pipeline();
        p.addLast(Http1Upgrade.ACTIVITY, activity);
        p.addLast(Http1Upgrade.DECODER, new StrictHttpRequestDecoder(decoderConfig));
        p.addLast(Http1Upgrade.ENCODER, new HttpResponseEncoder());
        p.addLast(Http1Upgrade.CONNECTION, new Http1ConnectionHandler(limits, activity));
        p.addLast(new HttpsRedirectHandler(runtime, httpsPort, acme));
    }
}
