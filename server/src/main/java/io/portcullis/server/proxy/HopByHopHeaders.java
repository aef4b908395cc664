package io.portcullis.server.proxy;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Headers that describe one connection, not the message (RFC 9110 section 7.6.1), and so must not cross the proxy:
 * {@code Connection} and every header it names, plus the well-known hop-by-hop ones.
 */
final class HopByHopHeaders {
    private static final AsciiString[] ALWAYS = Stream.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
            "proxy-authorization", "proxy-authenticate", "http2-settings").map(AsciiString::cached)
            .toArray(AsciiString[]::new);
    private static final HttpHeadersFactory UNVALIDATED = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    private HopByHopHeaders() {
    }

    /** Whether this is a WebSocket opening handshake ({@code Upgrade: websocket} plus {@code Connection: upgrade}). */
    static boolean isWebSocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.UPGRADE, "websocket", true)
                && connectionTokens(headers).contains("upgrade");
    }

    /**
     * The request headers to send upstream. {@code TE: trailers} survives (the only TE value a proxy may pass on), and
     * for a WebSocket handshake {@code Upgrade: websocket} with {@code Connection: Upgrade}. {@code Expect} is dropped
     * because the exchange answers {@code 100-continue} itself; several {@code Cookie} fields (as HTTP/2 clients send
     * them) are joined into one, as RFC 9113 section 8.2.3 requires towards HTTP/1.1.
     */
    static HttpHeaders forRequest(HttpHeaders in, boolean webSocket) {
        HttpHeaders out = copyEndToEnd(in);
        out.remove(HttpHeaderNames.EXPECT);
        if (in.containsValue(HttpHeaderNames.TE, "trailers", true)) {
            out.set(HttpHeaderNames.TE, "trailers");
        }
        if (out.contains(HttpHeaderNames.COOKIE) && out.getAll(HttpHeaderNames.COOKIE).size() > 1) {
            String joined = String.join("; ", out.getAll(HttpHeaderNames.COOKIE));
            out.set(HttpHeaderNames.COOKIE, joined);
        }
        if (webSocket) {
            out.set(HttpHeaderNames.UPGRADE, "websocket");
            out.set(HttpHeaderNames.CONNECTION, "Upgrade");
        }
        return out;
    }

    /** The response headers to pass to the client; the exchange adds its own framing. */
    static HttpHeaders forResponse(HttpHeaders in) {
        return copyEndToEnd(in);
    }

    /**
     * Every field but the hop-by-hop ones, names compared without case and without building lower-case copies: this
     * runs twice per proxied request. The fields were validated when they were parsed, so the copy does not validate
     * them again.
     */
    private static HttpHeaders copyEndToEnd(HttpHeaders in) {
        Set<String> named = connectionTokens(in);
        HttpHeaders out = UNVALIDATED.newHeaders();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (!isHopByHop(e.getKey(), named)) {
                out.add(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static boolean isHopByHop(CharSequence name, Set<String> named) {
        for (AsciiString always : ALWAYS) {
            if (always.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        for (String token : named) {
            if (AsciiString.contentEqualsIgnoreCase(token, name)) {
                return true;
            }
        }
        return false;
    }

    /** Lower-case tokens of all {@code Connection} fields, e.g. {@code close, x-foo}. */
    static Set<String> connectionTokens(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return Set.of();
        }
        Set<String> tokens = new TreeSet<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
