package io.portcullis.server.transport;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;

/**
 * Stops a connection from asking for more input once something has closed it. Harmless on epoll and NIO, where the
 * close is immediate. On io_uring the close waits until the connection's outstanding reads and writes complete, and a
 * read asked for in that wait (by auto-read at the end of the read loop, or by a handler) arms a new poll on the
 * socket, which the close does not cancel. io_uring holds the socket for as long as that poll waits, so a client that
 * sent plain HTTP to the TLS port, and then waited for the server to close, waited forever. Sits first in the
 * pipeline, so that it sees every read and close that the handlers after it ask for.
 */
public final class NoReadAfterClose extends ChannelDuplexHandler {
    static final String NAME = "no-read-after-close";

    private boolean closing;

    private NoReadAfterClose() {
    }

    /** Puts a guard in front of every handler of this connection's pipeline. */
    public static void install(ChannelPipeline pipeline) {
        pipeline.addFirst(NAME, new NoReadAfterClose());
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        closing = true;
        // Turning auto-read off withdraws a read that was asked for and not yet served, but only when it was on: so
        // it is turned on first (the read that this asks for stops here) and then off.
        ChannelConfig config = ctx.channel().config();
        config.setAutoRead(true);
        config.setAutoRead(false);
        ctx.close(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!closing) {
            ctx.read();
        }
    }
}
