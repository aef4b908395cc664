package io.portcullis.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderBytesCachingResponseEncoderTest {

    private static HttpHeaders readOnly(String date) {
        return new ReadOnlyHttpHeaders(false, "content-type", "text/plain", "content-length", "5", "date", date,
                "x-frame-options", "DENY");
    }

    private static String encode(EmbeddedChannel ch, HttpHeaders headers) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), headers, new DefaultHttpHeaders());
        ch.writeOutbound(response);
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out.toString();
    }

    @Test
    void aRepeatedReadOnlyBlockIsWrittenAsTheBytesNettyWouldEncode() {
        EmbeddedChannel cached = new EmbeddedChannel(new HeaderBytesCachingResponseEncoder());
        EmbeddedChannel plain = new EmbeddedChannel(new HttpResponseEncoder());
        HttpHeaders shared = readOnly("Sun, 06 Dec 2026 13:00:00 GMT");
        String expected = encode(plain, shared);
        assertThat(encode(cached, shared)).isEqualTo(expected);
        assertThat(encode(cached, shared)).isEqualTo(expected); // from the cache
        assertThat(expected).startsWith("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n").endsWith("\r\n\r\nhello");
    }

    @Test
    void eachReadOnlyBlockKeepsItsOwnBytesAndMutableHeadersAreEncodedEveryTime() {
        EmbeddedChannel ch = new EmbeddedChannel(new HeaderBytesCachingResponseEncoder());
        HttpHeaders[] blocks = new HttpHeaders[HeaderBytesCachingResponseEncoder.EncodedBlocks.SIZE + 2];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = readOnly("Sun, 06 Dec 2026 13:00:0" + i + " GMT");
        }
        for (int round = 0; round < 3; round++) { // more blocks than the cache holds: evicted ones are encoded again
            for (int i = 0; i < blocks.length; i++) {
                assertThat(encode(ch, blocks[i])).contains("date: Sun, 06 Dec 2026 13:00:0" + i + " GMT\r\n");
            }
        }
        HttpHeaders mutable = new DefaultHttpHeaders().set("content-length", "5").set("x-n", "1");
        assertThat(encode(ch, mutable)).contains("x-n: 1\r\n");
        mutable.set("x-n", "2");
        assertThat(encode(ch, mutable)).contains("x-n: 2\r\n").doesNotContain("x-n: 1");
    }
}
