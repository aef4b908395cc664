package io.portcullis.server.files;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.stream.ChunkedInput;
import io.portcullis.server.http.Exchange;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;

/**
 * An {@link Exchange} test double that records the response. A dynamic proxy rather than a class implementing the
 * interface, so additions to {@code Exchange} do not break this test; methods the handler should not call throw.
 */
final class RecordingExchange {
    HttpResponseStatus status;
    HttpHeaders headers;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean ended;
    boolean error;
    boolean chunkedBody;
    final Exchange exchange;
    private final EmbeddedChannel channel = new EmbeddedChannel();

    private RecordingExchange(Request request) {
        ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        exchange = (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(), new Class<?>[] {Exchange.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "request" -> request;
                    case "alloc" -> alloc;
                    case "eventLoop" -> channel.eventLoop();
                    case "headSent" -> status != null;
                    case "isDone" -> ended;
                    case "sendHead" -> {
                        head((HttpResponseStatus) args[0], (HttpHeaders) args[1]);
                        yield null;
                    }
                    case "end" -> {
                        ended = true;
                        yield channel.newSucceededFuture();
                    }
                    case "respond" -> {
                        head((HttpResponseStatus) args[0], (HttpHeaders) args[1]);
                        ByteBuf buf = (ByteBuf) args[2];
                        buf.readBytes(body, buf.readableBytes());
                        buf.release();
                        ended = true;
                        yield null;
                    }
                    case "sendError" -> {
                        head((HttpResponseStatus) args[0], args.length > 1 && args[1] != null
                                ? (HttpHeaders) args[1] : new DefaultHttpHeaders());
                        error = true;
                        ended = true;
                        yield null;
                    }
                    case "writeAndEnd" -> {
                        @SuppressWarnings("unchecked")
                        ChunkedInput<ByteBuf> input = (ChunkedInput<ByteBuf>) args[0];
                        drain(input, alloc);
                        yield channel.newSucceededFuture();
                    }
                    case "logAttribute" -> null;
                    case "toString" -> "RecordingExchange";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static RecordingExchange run(StaticFileHandler handler, HttpMethod method, String path, HttpHeaders requestHeaders) {
        return run(handler, method, path, null, requestHeaders);
    }

    static RecordingExchange run(StaticFileHandler handler, HttpMethod method, String path, String rawQuery,
                                 HttpHeaders requestHeaders) {
        Request request = new Request(method, "https", "localhost", "localhost", path, path, rawQuery, requestHeaders,
                0, Protocol.HTTP_1_1, null, null, null, "test-request-id");
        RecordingExchange recording = new RecordingExchange(request);
        handler.handle(recording.exchange);
        return recording;
    }

    static RecordingExchange get(StaticFileHandler handler, String path, String... headerPairs) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(headerPairs[i], headerPairs[i + 1]);
        }
        return run(handler, HttpMethod.GET, path, headers);
    }

    int code() {
        return status.code();
    }

    String header(CharSequence name) {
        return headers.get(name);
    }

    byte[] bytes() {
        return body.toByteArray();
    }

    private void head(HttpResponseStatus s, HttpHeaders h) {
        if (status != null) {
            throw new IllegalStateException("head sent twice");
        }
        status = s;
        headers = h;
    }

    private void drain(ChunkedInput<ByteBuf> input, ByteBufAllocator alloc) {
        chunkedBody = true;
        try {
            while (!input.isEndOfInput()) {
                ByteBuf chunk = input.readChunk(alloc);
                if (chunk == null) {
                    break;
                }
                chunk.readBytes(body, chunk.readableBytes());
                chunk.release();
            }
            input.close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        ended = true;
    }
}
