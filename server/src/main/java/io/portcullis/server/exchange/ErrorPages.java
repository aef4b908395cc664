package io.portcullis.server.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * The brief error page every error response carries: status, reason and the request id that is also in the access
 * log. Never a stack trace, a path or a version.
 */
public final class ErrorPages {
    public static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private ErrorPages() {
    }

    public static ByteBuf render(ByteBufAllocator alloc, HttpResponseStatus status, String requestId) {
        String title = status.code() + " " + status.reasonPhrase();
        String html = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
                + "<body><h1>" + title + "</h1>\n<p>Request ID: <code>" + requestId + "</code></p></body></html>\n";
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(bytes.length);
        buf.writeBytes(bytes);
        return buf;
    }
}
