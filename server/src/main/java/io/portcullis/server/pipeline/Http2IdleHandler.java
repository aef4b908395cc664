package io.portcullis.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes (with GOAWAY, through the frame codec) an HTTP/2 connection that carried no bytes for the idle timeout and
 * has no open stream; a stream waiting on a slow upstream is left to the handler's own timeouts.
 */
final class Http2IdleHandler extends IdleStateHandler {
    Http2IdleHandler(Duration idleTimeout) {
        super(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
        if (evt.state() == IdleState.ALL_IDLE && codec != null && codec.connection().numActiveStreams() == 0) {
            ctx.close();
        }
    }
}
