package io.portcullis.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.stream.ChunkedInput;

/**
 * One request and its response, independent of HTTP/1.1, HTTP/2 or HTTP/3. All methods must be called on
 * {@link #eventLoop()}.
 *
 * <p>Response: {@link #sendHead} once, then {@link #write} any number of chunks, then {@link #end}. Or one of the
 * one-shot helpers {@link #respond} / {@link #sendError}. Response filters (security headers, HSTS, Alt-Svc, the
 * site's add/remove) are applied by {@code sendHead}; handlers never add them themselves.
 *
 * <p>Request body: a handler that wants it calls {@link #receiveBody} once; one that does not simply answers and the
 * exchange discards the body (closing an HTTP/1.1 connection whose unread body is large).
 */
public interface Exchange {
    Request request();

    EventLoop eventLoop();

    ByteBufAllocator alloc();

    /** Starts body delivery; the first chunk comes after the first {@link #requestBody()} (called here for you). */
    void receiveBody(BodyReceiver receiver);

    /** Asks for the next body chunk. */
    void requestBody();

    /**
     * Sends the status line and headers. {@code content-length} set means a fixed-length body, else chunked/streamed.
     * The head leaves with the first {@link #write}, {@link #flush} or end, so that a short response is one message.
     */
    void sendHead(HttpResponseStatus status, HttpHeaders headers);

    /** Writes a body chunk (ownership passes to the exchange); flushed. */
    ChannelFuture write(ByteBuf chunk);

    /** Sends what was written so far, the head included, without waiting for more of the body. */
    void flush();

    /** Writes a whole body from a chunked source, e.g. a file region; ends the response when it is exhausted. */
    ChannelFuture writeAndEnd(ChunkedInput<ByteBuf> body);

    /** Ends the response; the future completes when the last byte is written. */
    ChannelFuture end();

    /**
     * Writes the last body chunk (ownership passes to the exchange) and ends the response in one write, together with
     * the head when nothing was written since {@link #sendHead}.
     */
    ChannelFuture end(ByteBuf last);

    /** True while the client's connection (or HTTP/2 stream window) accepts writes without queueing. */
    boolean isWritable();

    /** Runs {@code task} (once) the next time the exchange becomes writable; at once if it is writable now. */
    void onWritable(Runnable task);

    /** Runs {@code task} once if the client goes away before the response ended. */
    void onAbort(Runnable task);

    /** True once the head was sent. */
    boolean headSent();

    /** True once {@link #end} or an abort happened. */
    boolean isDone();

    /** Aborts the exchange: resets the stream (h2/h3) or closes the connection (h1) without finishing the response. */
    void abort();

    /**
     * A complete response with a body (may be empty). {@code content-length} is set from the body, except on 204 and
     * 304 where a length would describe a body that is not there.
     */
    void respond(HttpResponseStatus status, HttpHeaders headers, ByteBuf body);

    /**
     * {@link #respond(HttpResponseStatus, HttpHeaders, ByteBuf)} for a response whose headers never change; the
     * exchange may send one shared, finished copy of them. {@code body} is {@code headers.contentLength()} bytes.
     */
    default void respond(HttpResponseStatus status, FixedHeaders headers, ByteBuf body) {
        respond(status, headers.copy(), body);
    }

    /**
     * A brief error page carrying the request id, never a stack trace. Closes the connection for statuses that leave it
     * in an unknown state (400, 408, 413, 414, 431). If the head was already sent, aborts instead.
     */
    void sendError(HttpResponseStatus status);

    /**
     * {@link #sendError(HttpResponseStatus)} with extra headers, e.g. {@code Allow} on 405 or {@code Retry-After}.
     * The default ignores them, for test doubles; the real exchange sends them.
     */
    default void sendError(HttpResponseStatus status, HttpHeaders extraHeaders) {
        sendError(status);
    }

    /**
     * HTTP/1.1 only: sends {@code 101 Switching Protocols} with {@code headers}, takes the HTTP codecs out of the
     * connection and hands the raw (still TLS-decrypted) channel to {@code onSwitched}, which then owns it (auto-read
     * is off; the callee reads). Returns false, doing nothing, on HTTP/2 and HTTP/3.
     */
    boolean switchProtocols(HttpHeaders headers, java.util.function.Consumer<io.netty.channel.Channel> onSwitched);

    /** Notes a detail for the access log line (e.g. the upstream that answered). */
    void logAttribute(String key, String value);
}
