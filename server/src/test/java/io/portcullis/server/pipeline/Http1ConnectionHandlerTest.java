package io.portcullis.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.portcullis.config.ConfigDefaults;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1ConnectionHandlerTest {

    /** A fixed respond's headers are shared and read-only: draining must give the response its own copy to close. */
    @Test
    void drainingAddsConnectionCloseToSharedReadOnlyHeaders() {
        Http1ConnectionHandler handler = new Http1ConnectionHandler(ConfigDefaults.limits(), new InboundActivity());
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        ch.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        handler.drain();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).as("a connection with a request in flight is not closed at once").isTrue();

        ReadOnlyHttpHeaders shared = new ReadOnlyHttpHeaders(false, "content-length", "2", "x-frame-options",
                "SAMEORIGIN");
        ByteBuf body = Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII);
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body, shared,
                EmptyHttpHeaders.INSTANCE));
        ch.runPendingTasks();

        FullHttpResponse sent = ch.readOutbound();
        try {
            assertThat(sent.headers().get("connection")).isEqualTo("close");
            assertThat(sent.headers().get("x-frame-options")).isEqualTo("SAMEORIGIN");
            assertThat(sent.content().toString(StandardCharsets.US_ASCII)).isEqualTo("ok");
            assertThat(shared.contains("connection")).as("the shared headers are left as they were").isFalse();
        } finally {
            sent.release();
        }
        assertThat(ch.isOpen()).as("closed once the response is written").isFalse();
    }
}
