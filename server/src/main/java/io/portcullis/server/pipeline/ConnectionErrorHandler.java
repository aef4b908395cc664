package io.portcullis.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a connection pipeline: a connection-level error that no codec turned into a protocol answer (a
 * GOAWAY, a reset) closes that one connection, logged at debug. Hostile peers cause these on purpose, so they are not
 * warnings, and nothing reaches Netty's tail handler.
 */
final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionErrorHandler.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection from {} closed after error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
