package io.portcullis.server.pipeline;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, made strict where leniency enables request smuggling: a message with both Content-Length
 * and Transfer-Encoding is rejected (Netty's default drops Content-Length and goes on, which RFC 9112 6.1 allows, but
 * a front door that forwards to other servers must not guess which framing the sender meant).
 */
final class StrictHttpRequestDecoder extends HttpRequestDecoder {
    StrictHttpRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("both Content-Length and Transfer-Encoding present");
    }
}
