package io.portcullis.server.handlers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.portcullis.config.RespondConfig;
import io.portcullis.server.http.Exchange;
import io.portcullis.server.http.FixedHeaders;
import io.portcullis.server.http.Handler;
import java.nio.charset.StandardCharsets;

/** Answers with a fixed status, body and headers; the body bytes are encoded once and shared by every response. */
public final class RespondHandler implements Handler {
    private final HttpResponseStatus status;
    private final ByteBuf body;
    private final FixedHeaders headers;

    public RespondHandler(RespondConfig config) {
        this.status = HttpResponseStatus.valueOf(config.status());
        // A shared, never-released heap buffer: each response writes a duplicate, so the bytes are encoded once.
        this.body = Unpooled.unreleasableBuffer(
                Unpooled.wrappedBuffer(config.body().getBytes(StandardCharsets.UTF_8))).asReadOnly();
        // Validated here, once (a bad configured header fails at startup); the exchange shares finished copies.
        HttpHeaders h = new DefaultHttpHeaders();
        if (config.contentType() != null && !config.body().isEmpty()) {
            h.set(HttpHeaderNames.CONTENT_TYPE, config.contentType());
        }
        config.headers().forEach(h::set);
        this.headers = new FixedHeaders(h, body.readableBytes());
    }

    @Override
    public void handle(Exchange exchange) {
        exchange.respond(status, headers, body.duplicate());
    }
}
