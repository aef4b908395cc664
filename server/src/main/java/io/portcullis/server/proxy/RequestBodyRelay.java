package io.portcullis.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.portcullis.server.http.BodyReceiver;
import io.portcullis.server.http.Exchange;

/**
 * Streams the client's request body upstream. The next chunk is asked for only when the previous one was written and
 * the upstream channel is writable again, so a slow upstream slows the client down instead of filling memory.
 */
final class RequestBodyRelay implements BodyReceiver {
    /** What the relay reports back to its request. */
    interface Events {
        boolean active();

        void bodyFullySent();

        void upstreamWriteFailed(Throwable cause);

        void clientBodyFailed(Throwable cause);
    }

    private final Exchange exchange;
    private final UpstreamConnection upstream;
    private final Events events;
    private boolean waitingForWritable;
    private boolean consumed;

    RequestBodyRelay(Exchange exchange, UpstreamConnection upstream, Events events) {
        this.exchange = exchange;
        this.upstream = upstream;
        this.events = events;
    }

    /** Whether any body byte was taken from the client (after that, the request cannot be replayed). */
    boolean consumed() {
        return consumed;
    }

    @Override
    public void onBody(ByteBuf chunk, boolean last) {
        consumed |= chunk.isReadable();
        if (!events.active() || !upstream.channel().isActive()) {
            chunk.release(); // the response already ended or failed; the exchange discards the rest of the body
            return;
        }
        Object msg = last ? new DefaultLastHttpContent(chunk) : new DefaultHttpContent(chunk);
        upstream.writeAndFlush(msg).addListener(f -> {
            if (!f.isSuccess()) {
                events.upstreamWriteFailed(f.cause());
            } else if (last) {
                events.bodyFullySent();
            } else if (events.active()) {
                if (upstream.channel().isWritable()) {
                    exchange.requestBody();
                } else {
                    waitingForWritable = true; // resumed by onUpstreamWritable
                }
            }
        });
    }

    /** The upstream channel drained below its low water mark. */
    void onUpstreamWritable() {
        if (waitingForWritable && events.active()) {
            waitingForWritable = false;
            exchange.requestBody();
        }
    }

    @Override
    public void onBodyError(Throwable cause) {
        events.clientBodyFailed(cause);
    }
}
