package io.portcullis.server.pipeline;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.portcullis.config.LimitsConfig;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.exchange.ConnectionInfo;
import io.portcullis.server.exchange.Http1Upgrade;
import io.portcullis.server.exchange.RequestDispatcher;
import io.portcullis.server.http.Protocol;
import java.util.function.Supplier;

/**
 * HTTP/1.1 after TLS: activity marker, strict decoder, encoder, the connection handler (order, keep-alive, timeouts),
 * then the dispatcher (the exchange puts a chunked writer before it when a file body first needs one). Reading is driven by demand (auto-read off): the connection
 * handler reads for the next request head, the exchange reads for body chunks.
 */
final class Http1Pipeline {
    /** Body chunks handed to handlers are at most this large, so memory per connection stays small. */
    private static final int MAX_CHUNK = 16 * 1024;

    private Http1Pipeline() {
    }

    static void install(ChannelPipeline p, LimitsConfig limits, Supplier<ServerRuntime> runtime, ConnectionInfo info) {
        p.channel().config().setAutoRead(false);
        InboundActivity activity = new InboundActivity();
        HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
                // The request line may be slightly longer than the URI limit; the URI itself is checked exactly later.
                .setMaxInitialLineLength(limits.maxUriBytes() + 64)
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK)
                .setValidateHeaders(true)
                .setAllowDuplicateContentLengths(false)
                .setAllowPartialChunks(true);
        p.addLast(Http1Upgrade.ACTIVITY, activity);
        p.addLast(Http1Upgrade.DECODER, new StrictHttpRequestDecoder(decoderConfig));
        p.addLast(Http1Upgrade.ENCODER, new HeaderBytesCachingResponseEncoder());
        p.addLast(Http1Upgrade.CONNECTION, new Http1ConnectionHandler(limits, activity));
        p.addLast(Http1Upgrade.DISPATCHER, new RequestDispatcher(runtime, Protocol.HTTP_1_1, info));
    }
}
