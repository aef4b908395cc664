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

    /** Writes one decoded chunk to the client; returns true when it was the last one. */
    boolean onContent(HttpContent content) {
        ByteBuf bytes = content.content();
        if (bytes.isReadable()) {
            lastWrite = exchange.write(bytes); // ownership passes to the exchange
        } else {
            bytes.release();
        }
        return content instanceof LastHttpContent;
    }

    /** The upstream read finished: ask for the next one once the client has absorbed this one. */
    void onReadComplete() {
        ChannelFuture written = lastWrite;
        lastWrite = null;
        if (written == null) {
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
