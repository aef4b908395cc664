package io.portcullis.server.http;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The headers of a response that is the same every time (a configured {@code respond}), with its body length. An
 * exchange finishes them (site header policy, Alt-Svc, {@code Date}) once for each combination of those inputs and
 * shares the result, read-only, between responses: copying and finishing a header map per request was the largest
 * share of the fixed-response path's allocation.
 */
public final class FixedHeaders {
    private final HttpHeaders template;
    private final int contentLength;
    private volatile Finished finished;

    private record Finished(Object policy, AsciiString altSvc, AsciiString date, HttpHeaders headers) {
    }

    /**
     * @param headers       the response's own headers, already validated; copied, and {@code content-length} set
     * @param contentLength the body's length in bytes
     */
    public FixedHeaders(HttpHeaders headers, int contentLength) {
        HttpHeaders t = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        t.add(headers);
        t.remove(HttpHeaderNames.TRANSFER_ENCODING);
        t.setInt(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        this.template = t;
        this.contentLength = contentLength;
    }

    public int contentLength() {
        return contentLength;
    }

    /** A mutable copy, for a response the exchange finishes on its own (a closing connection, HTTP/1.0, 204). */
    public HttpHeaders copy() {
        return template.copy();
    }

    /**
     * The finished, read-only headers for these inputs, or {@code null} when they changed since the last
     * {@link #finish} (the date does every second). Inputs are compared by identity: the policy is the site's, and
     * the Alt-Svc and date values are shared instances until they change.
     */
    public HttpHeaders finished(Object policy, AsciiString altSvc, AsciiString date) {
        Finished f = finished;
        return f != null && f.policy == policy && f.altSvc == altSvc && f.date == date ? f.headers : null;
    }

    /** Completes a fresh copy with {@code finisher} and keeps it, read-only, for these inputs. */
    public HttpHeaders finish(Object policy, AsciiString altSvc, AsciiString date, Consumer<HttpHeaders> finisher) {
        HttpHeaders h = template.copy();
        finisher.accept(h);
        Finished f = new Finished(policy, altSvc, date, readOnly(h));
        finished = f; // racing event loops may both build it: harmless, the results are equal
        return f.headers;
    }

    private static HttpHeaders readOnly(HttpHeaders headers) {
        CharSequence[] pairs = new CharSequence[headers.size() * 2];
        int i = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        return new ReadOnlyHttpHeaders(false, pairs);
    }
}
