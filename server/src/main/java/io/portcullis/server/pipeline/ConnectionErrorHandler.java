package io.portcullis.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.portcullis.server.ServerRuntime;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a connection pipeline: a connection-level error that no codec turned into a protocol answer (a
 * GOAWAY, a reset) closes that one connection, logged at debug. Hostile peers cause these on purpose, so they are not
 * warnings, and nothing reaches Netty's tail handler. An HTTP/2 protocol violation (a header block decoding beyond
 * the limit, a bad frame) is an audit event {@code protocol_error}; a peer that just went away is not.
 */
final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionErrorHandler.class);

    private final Supplier<ServerRuntime> runtime;
    private final InetSocketAddress client;

    ConnectionErrorHandler(Supplier<ServerRuntime> runtime, InetSocketAddress client) {
        this.runtime = runtime;
        this.client = client;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection from {} closed after error: {}", ctx.channel().remoteAddress(), cause.toString());
        if (cause instanceof Http2Exception h2) {
            runtime.get().audit("protocol_error", client, "protocol", "HTTP/2.0", "error", h2.error().name(),
                    "reason", String.valueOf(h2.getMessage()));
            // The frame codec shows us its connection error before it sends GOAWAY with that error and closes:
            // closing here first would make that GOAWAY a NO_ERROR one and hide from the peer what it did wrong.
            return;
        }
        ctx.close();
    }
}
