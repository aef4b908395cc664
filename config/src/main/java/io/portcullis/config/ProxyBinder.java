package io.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Binds a route's {@code proxy} map. Internal to the loader. */
final class ProxyBinder {
    static final List<String> KEYS = List.of("upstreams", "balance", "connect_timeout", "first_byte_timeout",
            "idle_timeout", "max_idle_per_upstream", "max_fails", "fail_duration", "tls");
    static final List<String> TLS_KEYS = List.of("verify", "ca", "server_name");
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    private final Binder binder;
    private final Problems problems;

    ProxyBinder(Binder binder) {
        this.binder = binder;
        this.problems = binder.problems();
    }

    ProxyConfig bind(YamlNode node, String path) {
        if (node instanceof YamlNode.ScalarNode s && s.isNull()) {
            problems.invalid(node, path, "empty", "a map with upstreams");
            return null;
        }
        MapReader m = binder.map(node, path, KEYS);
        if (m == null) {
            return null;
        }
        List<URI> upstreams = upstreams(m);
        ProxyConfig.Balance balance = m.choice("balance", ConfigDefaults.BALANCE,
                Binder.enumOptions(ProxyConfig.Balance.class));
        Duration connect = m.duration("connect_timeout", ConfigDefaults.PROXY_CONNECT_TIMEOUT, MIN_TIMEOUT,
                MAX_TIMEOUT);
        Duration firstByte = m.duration("first_byte_timeout", ConfigDefaults.PROXY_FIRST_BYTE_TIMEOUT, MIN_TIMEOUT,
                MAX_TIMEOUT);
        Duration idle = m.duration("idle_timeout", ConfigDefaults.PROXY_IDLE_TIMEOUT, MIN_TIMEOUT, MAX_TIMEOUT);
        int maxIdle = m.integer("max_idle_per_upstream", ConfigDefaults.PROXY_MAX_IDLE_PER_UPSTREAM, 0, 100_000);
        int maxFails = m.integer("max_fails", ConfigDefaults.PROXY_MAX_FAILS, 1, 1_000_000);
        Duration failDuration = m.duration("fail_duration", ConfigDefaults.PROXY_FAIL_DURATION, MIN_TIMEOUT,
                MAX_TIMEOUT);
        UpstreamTlsConfig tls = tls(m);
        return upstreams.isEmpty() ? null : new ProxyConfig(upstreams, balance, connect, firstByte, idle, maxIdle,
                maxFails, failDuration, tls);
    }

    private List<URI> upstreams(MapReader m) {
        YamlNode node = m.require("upstreams", "a list of http://host:port or https://host:port");
        if (node == null) {
            return List.of();
        }
        List<Binder.Item> items = binder.strings(node, m.child("upstreams"), "http://host:port or https://host:port");
        List<URI> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        if (items.isEmpty()) {
            problems.invalid(node, m.child("upstreams"), "an empty list", "at least one upstream");
        }
        for (Binder.Item item : items) {
            URI u = RouteBinder.upstream(binder, item);
            if (u != null && out.contains(u)) {
                problems.invalid(item.node(), item.path(), u + " is listed twice", "each upstream once");
            } else if (u != null) {
                out.add(u);
            }
        }
        return out;
    }

    private UpstreamTlsConfig tls(MapReader m) {
        MapReader t = m.map("tls", TLS_KEYS);
        if (t == null) {
            return ConfigDefaults.upstreamTls();
        }
        boolean verify = t.bool("verify", true);
        Path ca = t.has("ca") ? binder.existingFile(t.get("ca"), t.child("ca")) : null;
        String serverName = null;
        if (t.has("server_name")) {
            String text = binder.text(t.get("server_name"), t.child("server_name"), "a DNS name");
            try {
                serverName = text == null ? null : HttpSyntax.host(text, false);
                if (serverName != null && HttpSyntax.isIpAddress(serverName)) {
                    throw new IllegalArgumentException("an IP address cannot be sent as SNI");
                }
            } catch (IllegalArgumentException e) {
                problems.invalid(t.get("server_name"), t.child("server_name"), text + ": " + e.getMessage(),
                        "a DNS name like backend.internal");
                serverName = null;
            }
        }
        return new UpstreamTlsConfig(verify, ca, serverName);
    }
}
