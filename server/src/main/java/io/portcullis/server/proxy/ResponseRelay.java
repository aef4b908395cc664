package io.portcullis.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.portcullis.server.http.Exchange;
import java.util.function.BooleanSupplier;

/**
 * Streams the upstream's response body to the client, HexDumpProxy style: the upstream channel has auto-read off and
 * is read again only after the last chunk of the previous read was written to the client and the client can take
 * more. Memory per response is thus bounded by one read (about 64 KiB), whatever the body size.
 */
final class ResponseRelay {
    private final Exchange exchange;
    private final Channel upstream;
    private final BooleanSupplier active;
    private final Runnable onClientWriteFailed;
    private ChannelFuture lastWrite;

    ResponseRelay(Exchange exchange, Channel upstream, BooleanSupplier active, Runnable onClientWriteFailed) {
        this.exchange = exchange;
        this.upstream = upstream;
        this.active = active;
        this.onClientWriteFailed = onClientWriteFailed;
    }

    /**
     * Writes one decoded chunk to the client (ownership passes to the exchange); returns true when it was the last
     * one, which ends the client's response in the same write (with the head too, when the whole response came in one
     * upstream read: then it leaves as one message and one TLS record).
     */
    boolean onContent(HttpContent content) {
        ByteBuf bytes = content.content();
        if (content instanceof LastHttpContent) {
            lastWrite = exchange.end(bytes);
            return true;
        }
        if (bytes.isReadable()) {
            lastWrite = exchange.write(bytes);
        } else {
            bytes.release();
        }
        return false;
    }

    /** The upstream read finished: ask for the next one once the client has absorbed this one. */
    void onReadComplete() {
        ChannelFuture written = lastWrite;
        lastWrite = null;
        if (written == null) {
            exchange.flush(); // a head that came alone goes out now, not with the first body bytes
            upstream.read(); // the decoder needs more bytes before it can emit anything
            return;
        }
        written.addListener(f -> {
            if (!active.getAsBoolean()) {
                return;
            }
            if (!f.isSuccess()) {
                onClientWriteFailed.run();
                return;
            }
            exchange.onWritable(() -> {
                if (active.getAsBoolean()) {
                    upstream.read();
                }
            });
        });
    }
}
