package io.portcullis.server.pipeline;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.portcullis.config.LimitsConfig;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.exchange.ConnectionInfo;
import java.util.function.Supplier;

/**
 * HTTP/2 after TLS: Netty's frame codec (flow control, HPACK, settings; with its rapid-reset and header-list limits)
 * and a multiplexer giving each request stream its own child channel, initialised by {@link Http2StreamInitializer}.
 */
final class Http2Pipeline {
    /** Per-stream receive window: large enough for fast uploads, bounded so one stream cannot hog memory. */
    private static final int STREAM_WINDOW = 1024 * 1024;

    private Http2Pipeline() {
    }

    static void install(ChannelPipeline p, LimitsConfig limits, Supplier<ServerRuntime> runtime, ConnectionInfo info) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(limits.maxConcurrentStreams())
                .maxHeaderListSize(limits.maxHeaderBytes())
                .initialWindowSize(STREAM_WINDOW);
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .validateHeaders(true)
                .gracefulShutdownTimeoutMillis(limits.shutdownGrace().toMillis())
                .build();
        // Before the codec, so it sees every frame's bytes in both directions.
        p.addLast("h2-idle", new Http2IdleHandler(limits.idleTimeout()));
        p.addLast("h2-codec", codec);
        p.addLast("h2-multiplex", new Http2MultiplexHandler(new Http2StreamInitializer(runtime, info)));
        p.addLast("h2-errors", new ConnectionErrorHandler(runtime, info.remote()));
    }
}
