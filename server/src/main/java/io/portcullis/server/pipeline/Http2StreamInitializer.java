package io.portcullis.server.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.exchange.ConnectionInfo;
import io.portcullis.server.exchange.RequestDispatcher;
import io.portcullis.server.http.Protocol;
import java.util.function.Supplier;

/**
 * One HTTP/2 request stream: frames to Netty's HTTP objects, then the same dispatcher as HTTP/1.1 (a chunked writer is
 * added in front of the dispatcher only when a handler streams a {@code ChunkedInput}). Auto-read is off
 * so that an unread request body holds back the stream's flow-control window: that is the upload backpressure.
 */
final class Http2StreamInitializer extends ChannelInitializer<Channel> {
    private final Supplier<ServerRuntime> runtime;
    private final ConnectionInfo info;

    Http2StreamInitializer(Supplier<ServerRuntime> runtime, ConnectionInfo info) {
        this.runtime = runtime;
        this.info = info;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setAutoRead(false);
        // One codec per stream although Netty marks it @Sharable: its inner decoder keeps per-read state (whether a read
        // produced a message, to ask for more when auto-read is off), which streams must not share.
        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true, true));
        // No ChunkedWriteHandler here: most streams never write a ChunkedInput, so the exchange adds one to the stream
        // that does (a file body), and every other stream saves a handler context.
        ch.pipeline().addLast(new RequestDispatcher(runtime, Protocol.HTTP_2, info));
    }
}
