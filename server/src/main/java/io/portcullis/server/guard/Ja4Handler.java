package io.portcullis.server.guard;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.portcullis.server.metrics.Metrics;
import io.portcullis.tls.wire.Ja4;
import java.util.Arrays;

/**
 * Computes the JA4 fingerprint of each connection's ClientHello from the raw bytes, before TLS consumes them: it
 * copies what arrives (passing every byte on untouched) until the whole ClientHello is there, stores the fingerprint
 * in {@link #JA4} on the connection, counts it in the metrics, and leaves the pipeline. Gives up after 16 KiB (no
 * fingerprint then).
 */
public final class Ja4Handler extends ChannelInboundHandlerAdapter {
    /** The connection's JA4; on HTTP/2 stream channels, look on the parent (see {@link #of(Channel)}). */
    public static final AttributeKey<String> JA4 = AttributeKey.valueOf("portcullis.ja4");
    private static final int MAX_BYTES = 16 * 1024 + 5;

    private final Metrics metrics;
    private byte[] seen = new byte[0];

    public Ja4Handler(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The fingerprint of the connection {@code ch} belongs to (itself, or an HTTP/2 or HTTP/3 stream's parent). */
    public static String of(Channel ch) {
        String v = ch.attr(JA4).get();
        if (v == null && ch.parent() != null) {
            v = ch.parent().attr(JA4).get();
        }
        return v;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            int n = Math.min(buf.readableBytes(), MAX_BYTES - seen.length);
            int old = seen.length;
            seen = Arrays.copyOf(seen, old + n);
            buf.getBytes(buf.readerIndex(), seen, old, n);
            String ja4 = Ja4.fromRecords(seen);
            if (ja4 != null || seen.length >= MAX_BYTES) {
                if (ja4 != null && !ja4.isEmpty()) {
                    ctx.channel().attr(JA4).set(ja4);
                    metrics.clientFingerprint(ja4);
                }
                seen = null;
                ctx.pipeline().remove(this);
            }
        }
        ctx.fireChannelRead(msg);
    }
}
