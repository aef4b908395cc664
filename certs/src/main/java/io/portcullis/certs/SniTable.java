package io.portcullis.certs;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.ssl.SslContext;

/**
 * An immutable SNI lookup table: exact host, then a one-label wildcard ({@code *.example.com} matches
 * {@code a.example.com} but neither {@code example.com} nor {@code a.b.example.com}, as in RFC 6125), then the
 * default context. Built whole and swapped whole, so a lookup never sees half a reload.
 */
final class SniTable {
    private final Map<String, SslContext> exact;
    /** Keyed by the wildcard's suffix without the star: {@code .example.com}. */
    private final Map<String, SslContext> wildcards;
    private final SslContext defaultContext;

    private SniTable(Map<String, SslContext> exact, Map<String, SslContext> wildcards, SslContext defaultContext) {
        this.exact = Map.copyOf(exact);
        this.wildcards = Map.copyOf(wildcards);
        this.defaultContext = defaultContext;
    }

    static Builder builder() {
        return new Builder();
    }

    /** The context for a ClientHello's server name; {@code null} or unknown names get the default. */
    SslContext lookup(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return defaultContext;
        }
        String name = normalize(serverName);
        SslContext ctx = exact.get(name);
        if (ctx != null) {
            return ctx;
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            ctx = wildcards.get(name.substring(dot));
            if (ctx != null) {
                return ctx;
            }
        }
        return defaultContext;
    }

    SslContext defaultContext() {
        return defaultContext;
    }

    static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    static final class Builder {
        private final Map<String, SslContext> exact = new HashMap<>();
        private final Map<String, SslContext> wildcards = new HashMap<>();
        private SslContext defaultContext;

        /** Adds {@code host} unless an earlier site already claimed it (config order decides). */
        Builder add(String host, SslContext context) {
            String h = normalize(host);
            if (h.startsWith("*.")) {
                wildcards.putIfAbsent(h.substring(1), context);
            } else {
                exact.putIfAbsent(h, context);
            }
            return this;
        }

        Builder defaultContext(SslContext context) {
            this.defaultContext = context;
            return this;
        }

        SniTable build() {
            return new SniTable(exact, wildcards, defaultContext);
        }
    }
}
