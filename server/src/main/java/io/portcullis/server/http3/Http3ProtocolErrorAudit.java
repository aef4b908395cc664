package io.portcullis.server.http3;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.quic.QuicChannel;
import io.portcullis.server.ServerRuntime;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Puts the HTTP/3 connection errors Netty's codec detects into the audit log (and so the security-event counter) as
 * {@code http3_protocol_error}: frames out of order or on the wrong stream, HTTP/2 frame types, a missing or second
 * SETTINGS, QPACK that does not decode. Netty has already closed the connection with the matching error code
 * (H3_FRAME_UNEXPECTED, H3_MISSING_SETTINGS, QPACK_DECOMPRESSION_FAILED, ...) when the exception arrives here; this
 * handler only records it, and ends its travel so it is not logged again as an unhandled pipeline exception. It sits
 * on every request stream and on the client's control stream, where Netty's handlers fire these exceptions.
 */
@ChannelHandler.Sharable
final class Http3ProtocolErrorAudit extends ChannelInboundHandlerAdapter {
    static final String EVENT = "http3_protocol_error";

    private final Supplier<ServerRuntime> runtime;

    Http3ProtocolErrorAudit(Supplier<ServerRuntime> runtime) {
        this.runtime = runtime;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof Http3Exception h3)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        runtime.get().audit(EVENT, peer(ctx.channel()), "code", h3.errorCode().name(), "reason",
                String.valueOf(h3.getMessage()));
    }

    private static InetSocketAddress peer(Channel stream) {
        Channel parent = stream instanceof QuicChannel ? stream : stream.parent();
        return parent instanceof QuicChannel quic && quic.remoteSocketAddress() instanceof InetSocketAddress a
                ? a : null;
    }
}
