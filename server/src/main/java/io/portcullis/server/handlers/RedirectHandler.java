package io.portcullis.server.handlers;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.portcullis.config.RedirectConfig;
import io.portcullis.server.http.Exchange;
import io.portcullis.server.http.Handler;
import io.portcullis.server.http.Request;

/**
 * Redirects to a target template: {@code {path}} (as sent, still encoded), {@code {query}} ({@code ?q} or empty),
 * {@code {uri}} (path and query) and {@code {host}} are replaced per request.
 */
public final class RedirectHandler implements Handler {
    private final String template;
    private final HttpResponseStatus status;

    public RedirectHandler(RedirectConfig config) {
        this.template = config.to();
        this.status = HttpResponseStatus.valueOf(config.status());
    }

    @Override
    public void handle(Exchange exchange) {
        Request r = exchange.request();
        String location = template;
        if (location.indexOf('{') >= 0) {
            location = location.replace("{uri}", r.rawUri())
                    .replace("{path}", r.rawPath())
                    .replace("{query}", r.rawQuery() == null ? "" : "?" + r.rawQuery())
                    .replace("{host}", r.host() == null ? "" : r.host());
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.LOCATION, location);
        exchange.respond(status, headers, Unpooled.EMPTY_BUFFER);
    }
}
