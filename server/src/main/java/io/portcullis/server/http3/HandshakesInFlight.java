package io.portcullis.server.http3;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many QUIC handshakes the server is in the middle of: a connection counts from its first Initial packet until
 * its handshake completes (the channel becomes active) or it closes without completing. A flood of Initials from
 * spoofed addresses shows here first, which is what {@code address_validation: auto} watches.
 */
final class HandshakesInFlight {
    private final AtomicInteger count = new AtomicInteger();

    int get() {
        return count.get();
    }

    /** A handler for one new connection's pipeline that keeps the count. */
    ChannelInboundHandlerAdapter track() {
        return new ChannelInboundHandlerAdapter() {
            private boolean counted;

            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                counted = true;
                count.incrementAndGet();
                // Not channelInactive: Netty fires it only for channels that were active, and a handshake that
                // never completes (timed out, refused) never made its channel active.
                ctx.channel().closeFuture().addListener(f -> done());
            }

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                done();
                ctx.pipeline().remove(this);
                ctx.fireChannelActive();
            }

            private void done() {
                if (counted) {
                    counted = false;
                    count.decrementAndGet();
                }
            }
        };
    }
}
