package io.portcullis.server.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.portcullis.server.ServerRuntime;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** The plain-HTTP listener (port 80): strict decoding, then {@link HttpsRedirectHandler}. */
public final class RedirectChannelInitializer extends ChannelInitializer<Channel> {
    private final Supplier<ServerRuntime> runtime;
    private final ChannelGroup connections;
    private final IntSupplier httpsPort;

    public RedirectChannelInitializer(Supplier<ServerRuntime> runtime, ChannelGroup connections,
                                      IntSupplier httpsPort) {
        this.runtime = runtime;
        this.connections = connections;
        this.httpsPort = httpsPort;
    }

    @Override
    protected void initChannel(Channel ch) {
        connections.add(ch);
        ServerRuntime rt = runtime.get();
        var limits = rt.config().limits();
        HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxUriBytes() + 64)
                .setMaxHeaderSize(limits.maxHeaderBytes());
        ch.pipeline().addLast(new ReadTimeoutHandler(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(new StrictHttpRequestDecoder(decoderConfig));
        ch.pipeline().addLast(new HttpResponseEncoder());
        ch.pipeline().addLast(new HttpsRedirectHandler(runtime, httpsPort));
    }
}
