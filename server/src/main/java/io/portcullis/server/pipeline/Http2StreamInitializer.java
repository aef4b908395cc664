package io.portcullis.server.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.exchange.ConnectionInfo;
import io.portcullis.server.exchange.RequestDispatcher;
import io.portcullis.server.http.Protocol;
import java.util.function.Supplier;

/**
 * One HTTP/2 request stream: frames to Netty's HTTP objects, then the same dispatcher as HTTP/1.1. Auto-read is off
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
        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true, true));
        ch.pipeline().addLast(new ChunkedWriteHandler());
        ch.pipeline().addLast(new RequestDispatcher(runtime, Protocol.HTTP_2, info));
    }
}
