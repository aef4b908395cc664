package io.portcullis.server.http;

import io.netty.buffer.ByteBuf;

/**
 * Receives a request body chunk by chunk. Chunks arrive on the event loop, one per {@link Exchange#requestBody()} demand
 * cycle: after handling a chunk, call {@link Exchange#requestBody()} to receive more. This is the backpressure: the
 * client is not read from while the receiver has not asked.
 */
public interface BodyReceiver {
    /**
     * @param chunk the bytes; ownership passes to the receiver, which must release or write it
     * @param last  true for the final chunk (which may be empty)
     */
    void onBody(ByteBuf chunk, boolean last);

    /** The body ended abnormally: client gone, limit exceeded or malformed; the exchange is already answered or closed. */
    void onBodyError(Throwable cause);
}
