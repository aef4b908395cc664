package io.portcullis.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    private HopByHopHeaders() {
    }

    /** Whether this is a WebSocket opening handshake ({@code Upgrade: websocket} plus {@code Connection: upgrade}). */
    static boolean isWebSocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.UPGRADE, "websocket", true)
                && connectionTokens(headers).contains("upgrade");
    }

    /**
     * Strips the hop-by-hop fields from an upstream response's headers in place and returns them: the decoded head is
     * not used again, so the client's response reuses its headers instead of a copy (one header map and its entries
     * less per proxied response). The exchange adds its own framing.
     */
    static HttpHeaders stripForResponse(HttpHeaders in) {
        List<String> named = connectionTokens(in);
        for (AsciiString always : ALWAYS) {
            in.remove(always);
        }
        for (int i = 0; i < named.size(); i++) {
            in.remove(named.get(i));
        }
        return in;
    }

    /** Whether {@code name} is a hop-by-hop field, given the {@link #connectionTokens} of its message. */
    static boolean isHopByHop(CharSequence name, List<String> named) {
        for (AsciiString always : ALWAYS) {
            if (always.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        for (int i = 0; i < named.size(); i++) {
            if (AsciiString.contentEqualsIgnoreCase(named.get(i), name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lower-case tokens of all {@code Connection} fields, e.g. {@code close, x-foo}, without duplicates. The common
     * single {@code keep-alive} or {@code close} names nothing beyond the always-removed fields (a field called
     * {@code close} is dropped with the others anyway), so it yields the empty list without parsing.
     */
    static List<String> connectionTokens(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return List.of();
        }
        if (values.size() == 1 && (AsciiString.contentEqualsIgnoreCase(values.get(0), HttpHeaderValues.KEEP_ALIVE)
                || AsciiString.contentEqualsIgnoreCase(values.get(0), HttpHeaderValues.CLOSE))) {
            return List.of();
        }
        List<String> tokens = new ArrayList<>(4);
        for (String value : values) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !tokens.contains(t)) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
