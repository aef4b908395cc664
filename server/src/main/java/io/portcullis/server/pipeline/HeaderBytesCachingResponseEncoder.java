package io.portcullis.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The HTTP/1.1 response encoder, which writes a read-only header block it encoded before as one copy of its bytes.
 * Fixed responses share one read-only block until the next second's {@code Date} ({@code FixedHeaders}): encoding
 * its dozen fields name by name and value by value, for every response, was most of the encoder's time.
 *
 * <p>The bytes are kept per event loop, not per connection, so an idle connection holds none. The cache is keyed by
 * identity, which is sound because a {@link ReadOnlyHttpHeaders} cannot change and the cache's reference keeps the
 * instance from being collected and its identity reused.
 */
final class HeaderBytesCachingResponseEncoder extends HttpResponseEncoder {
    private static final FastThreadLocal<EncodedBlocks> BLOCKS = new FastThreadLocal<>() {
        @Override
        protected EncodedBlocks initialValue() {
            return new EncodedBlocks();
        }
    };

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        if (!(headers instanceof ReadOnlyHttpHeaders)) {
            super.encodeHeaders(headers, buf);
            return;
        }
        EncodedBlocks blocks = BLOCKS.get();
        byte[] encoded = blocks.find(headers);
        if (encoded != null) {
            buf.writeBytes(encoded);
            return;
        }
        int start = buf.writerIndex();
        super.encodeHeaders(headers, buf);
        byte[] bytes = new byte[buf.writerIndex() - start];
        buf.getBytes(start, bytes);
        blocks.put(headers, bytes);
    }

    /**
     * The last few header blocks an event loop encoded: a few, so that several fixed routes (or sites) served in turn
     * do not evict each other, and few enough that a linear scan of identities costs less than a hash.
     */
    static final class EncodedBlocks {
        static final int SIZE = 4;
        private final HttpHeaders[] keys = new HttpHeaders[SIZE];
        private final byte[][] values = new byte[SIZE][];
        private int next;

        byte[] find(HttpHeaders headers) {
            for (int i = 0; i < SIZE; i++) {
                if (keys[i] == headers) {
                    return values[i];
                }
            }
            return null;
        }

        void put(HttpHeaders headers, byte[] bytes) {
            keys[next] = headers;
            values[next] = bytes;
            next = (next + 1) % SIZE;
        }
    }
}
