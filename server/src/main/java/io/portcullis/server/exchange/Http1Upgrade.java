package io.portcullis.server.exchange;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import java.util.function.Consumer;

/**
 * Hands an HTTP/1.1 connection over to a raw byte relay after {@code 101 Switching Protocols} (WebSocket). The HTTP
 * handlers are removed in an order that loses no byte: the new owner installs its handler first, then the decoder is
 * removed, passing on whatever the client already sent after the upgrade request.
 */
public final class Http1Upgrade {
    public static final String DECODER = "h1-decoder";
    public static final String ENCODER = "h1-encoder";
    public static final String CONNECTION = "h1-connection";
    public static final String CHUNKED = "chunked-writer";
    public static final String DISPATCHER = "dispatcher";
    public static final String ACTIVITY = "h1-activity";

    private Http1Upgrade() {
    }

    static void handOver(ChannelPipeline pipeline, Channel channel, Consumer<Channel> onSwitched) {
        for (String name : new String[]{DISPATCHER, CHUNKED, CONNECTION, ENCODER, ACTIVITY}) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
        onSwitched.accept(channel);
        if (pipeline.get(DECODER) != null) {
            pipeline.remove(DECODER);
        }
    }
}
