package io.portcullis.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Loads a Portcullis YAML config into a {@link PortcullisConfig}, with every default filled in, or fails with every
 * problem found, each located as {@code file:line:col}. The schema is documented in {@code docs/config.md}.
 *
 * <p>Files named by the config (certificates, keys, CA bundles, static roots) must exist when it is loaded; relative
 * paths resolve against the config file's directory.
 */
public final class ConfigLoader {
    static final List<String> ROOT_KEYS = List.of("data_dir", "listeners", "tls", "limits", "access_log", "server",
            "sites", "acme", "admin", "ranges", "trusted_proxies", "audit_log", "bans", "quic", "expiry_alerts");
    static final List<String> ADMIN_KEYS = List.of("enabled", "address", "port");
    static final List<String> SERVER_KEYS = List.of("transport", "workers", "busy_poll");
    static final List<String> LISTENERS_KEYS = List.of("https", "http", "fallback_ports");
    static final List<String> LISTENER_KEYS = List.of("address", "port", "enabled", "proxy_protocol");
    static final List<String> HTTPS_LISTENER_KEYS = List.of("address", "port", "enabled", "proxy_protocol", "http3");
    static final List<String> QUIC_KEYS = List.of("initial_max_data", "initial_max_stream_data",
            "max_concurrent_streams", "idle_timeout", "address_validation", "udp_receive_buffer", "udp_send_buffer",
            "alt_svc", "early_data", "retry_threshold");
    static final List<String> LIMITS_KEYS = List.of("max_uri", "max_header", "max_body", "header_timeout",
            "idle_timeout", "shutdown_grace", "max_pipelined_requests", "max_concurrent_streams",
            "max_connections_per_address", "max_connections");
    static final List<String> ACCESS_LOG_KEYS = List.of("output", "format");

    private ConfigLoader() {
    }

    /**
     * Loads a config file (UTF-8). Relative paths in it resolve against the file's directory.
     *
     * @throws ConfigException when the file cannot be read or has any problem; all problems are listed
     */
    public static PortcullisConfig load(Path file) throws ConfigException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        String yaml;
        try {
            byte[] bytes = Files.readAllBytes(file);
            yaml = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(new ConfigProblem(name, 1, 1, "cannot read the config: no such file"));
        } catch (CharacterCodingException e) {
            throw new ConfigException(new ConfigProblem(name, 1, 1, "not UTF-8 text (expected: a UTF-8 YAML file)"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(name, 1, 1, "cannot read the config: " + e));
        }
        Path absolute = file.toAbsolutePath().normalize();
        return bind(yaml, name, absolute.getParent(), absolute);
    }

    /**
     * Loads config text, e.g. the embedded default.
     *
     * @param sourceName the name problems are reported against, e.g. {@code portcullis.yaml} or
     *                   {@code embedded default}
     * @param baseDir    the directory relative paths resolve against
     * @return a config whose {@link PortcullisConfig#source()} is {@code null}
     */
    public static PortcullisConfig loadString(String yaml, String sourceName, Path baseDir) throws ConfigException {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(baseDir, "baseDir");
        return bind(yaml, sourceName, baseDir.toAbsolutePath().normalize(), null);
    }

    private static PortcullisConfig bind(String yaml, String name, Path baseDir, Path source) throws ConfigException {
        Problems problems = new Problems(name);
        YamlNode root = YamlTreeReader.read(yaml, name, problems);
        if (root == null) {
            problems.add(1, 1, "empty config (expected: a map with at least sites)");
            problems.throwIfAny();
        }
        Binder binder = new Binder(problems, baseDir);
        if (!(root instanceof YamlNode.MapNode rootMap)) {
            problems.add(root, "the config is "
                    + (root instanceof YamlNode.ScalarNode ? "a single value" : root.describe()) + " (expected: a map with keys "
                    + String.join(", ", ROOT_KEYS) + ")");
            problems.throwIfAny();
            throw new AssertionError();
        }
        MapReader m = new MapReader(binder, rootMap, "", ROOT_KEYS);
        Path dataDir = ConfigDefaults.dataDir();
        if (m.has("data_dir")) {
            String t = binder.text(m.get("data_dir"), "data_dir", "a directory path");
            Path p = t == null ? null : binder.resolve(m.get("data_dir"), "data_dir", t);
            dataDir = p == null ? dataDir : p;
        }
        boolean[] http3 = {true};
        ListenersConfig listeners = listeners(binder, m, http3);
        TlsPolicyConfig tls = TlsPolicyBinder.bind(binder, m.get("tls"));
        LimitsConfig limits = limits(m.map("limits", LIMITS_KEYS));
        AccessLogConfig accessLog = accessLog(binder, m.map("access_log", ACCESS_LOG_KEYS));
        ServerConfig server = server(m.map("server", SERVER_KEYS));
        YamlNode sitesNode = m.require("sites", "a list of at least one site");
        AcmeConfig acme = AcmeBinder.bind(binder, m.get("acme"));
        AccessBinder access = new AccessBinder(binder);
        access.bindRanges(m.get("ranges"));
        List<SiteConfig> sites = sitesNode == null ? List.of()
                : new SiteBinder(binder, access).bindAll(sitesNode);
        if (acme == null && sites.stream().anyMatch(s -> s.tls().source() == SiteTlsConfig.Source.ACME)) {
            acme = AcmeConfig.defaults(); // ACME without an acme: block means Let's Encrypt, no contact
        }
        List<Cidr> trustedProxies = m.has("trusted_proxies")
                ? access.blocks(m.get("trusted_proxies"), "trusted_proxies") : List.of();
        if (listeners.https().proxyProtocol() && trustedProxies.isEmpty()) {
            problems.add(m.node(), "listeners.https.proxy_protocol: true without trusted_proxies "
                    + "(expected: trusted_proxies listing the load balancers that send the PROXY header)");
        }
        QuicConfig quic = quic(m.map("quic", QUIC_KEYS), http3[0]);
        problems.throwIfAny();
        AdminConfig admin = admin(binder, m.map("admin", ADMIN_KEYS));
        ExpiryAlertsConfig expiryAlerts = ExpiryAlertsBinder.bind(binder, m.get("expiry_alerts"));
        // Bound before the last check, so that their problems (an unknown ban event, say) are reported too.
        AuditLogConfig auditLog = auditLog(binder, m);
        BansConfig bans = BansBinder.bind(binder, m);
        problems.throwIfAny();
        return new PortcullisConfig(source, dataDir, listeners, tls, limits, accessLog, server, sites, acme, admin,
                trustedProxies, auditLog, bans, quic, expiryAlerts);
    }

    /** {@code http3Out[0]} receives {@code listeners.https.http3} (default on). */
    private static ListenersConfig listeners(Binder binder, MapReader root, boolean[] http3Out) {
        ListenersConfig def = ConfigDefaults.listeners();
        MapReader m = root.map("listeners", LISTENERS_KEYS);
        if (m == null) {
            return def;
        }
        MapReader httpsMap = m.map("https", HTTPS_LISTENER_KEYS);
        ListenerConfig https = listener(binder, httpsMap, def.https());
        http3Out[0] = httpsMap == null || httpsMap.bool("http3", true);
        ListenerConfig http = listener(binder, m.map("http", LISTENER_KEYS), def.http());
        boolean fallback = m.bool("fallback_ports", ConfigDefaults.FALLBACK_PORTS);
        if (https.enabled() && http.enabled() && https.port() != 0 && https.port() == http.port()
                && https.address().equals(http.address())) {
            MapReader h = m.map("http", LISTENER_KEYS);
            YamlNode at = h != null && h.has("port") ? h.get("port") : m.node();
            binder.problems().invalid(at, "listeners.http.port", http.port() + " is also the https port",
                    "different ports for https and http");
        }
        if (http.proxyProtocol()) {
            MapReader h = m.map("http", LISTENER_KEYS);
            binder.problems().invalid(h.get("proxy_protocol"), "listeners.http.proxy_protocol", "true",
                    "false; the PROXY protocol is supported on the https listener only");
        }
        return new ListenersConfig(https, http, fallback);
    }

    private static ListenerConfig listener(Binder binder, MapReader m, ListenerConfig def) {
        if (m == null) {
            return def;
        }
        String address = def.address();
        if (m.has("address")) {
            String expected = "an IP address like 0.0.0.0, :: or 127.0.0.1, or localhost";
            String t = binder.text(m.get("address"), m.child("address"), expected);
            try {
                String host = t == null ? null : HttpSyntax.host(t, false);
                if (host != null && !HttpSyntax.isIpAddress(host) && !host.equals("localhost")) {
                    throw new IllegalArgumentException("not an IP address");
                }
                address = host == null ? address : host;
            } catch (IllegalArgumentException e) {
                binder.problems().invalid(m.get("address"), m.child("address"), t, expected);
            }
        }
        int port = m.integer("port", def.port(), 0, 65535);
        boolean enabled = m.bool("enabled", def.enabled());
        boolean proxyProtocol = m.bool("proxy_protocol", def.proxyProtocol());
        return new ListenerConfig(address, port, enabled, proxyProtocol);
    }

    private static AdminConfig admin(Binder binder, MapReader m) {
        AdminConfig def = AdminConfig.defaults();
        if (m == null) {
            return def;
        }
        String address = def.address();
        if (m.has("address")) {
            String expected = "a loopback address: 127.0.0.1, ::1 or localhost (the admin API has no authentication)";
            String t = binder.text(m.get("address"), m.child("address"), expected);
            String host = null;
            try {
                host = t == null ? null : HttpSyntax.host(t, false);
            } catch (IllegalArgumentException e) {
                host = null;
            }
            boolean loopback = host != null && (host.equals("localhost") || host.equals("::1")
                    || host.matches("127(\\.\\d{1,3}){3}"));
            if (t != null && !loopback) {
                binder.problems().invalid(m.get("address"), m.child("address"), t, expected);
            } else if (host != null) {
                address = host;
            }
        }
        return new AdminConfig(m.bool("enabled", def.enabled()), address, m.integer("port", def.port(), 0, 65535));
    }

    private static LimitsConfig limits(MapReader m) {
        if (m == null) {
            return ConfigDefaults.limits();
        }
        java.time.Duration zero = java.time.Duration.ZERO;
        java.time.Duration ms = java.time.Duration.ofMillis(1);
        java.time.Duration day = java.time.Duration.ofDays(1);
        return new LimitsConfig(
                (int) m.size("max_uri", ConfigDefaults.MAX_URI_BYTES, 64, Integer.MAX_VALUE),
                (int) m.size("max_header", ConfigDefaults.MAX_HEADER_BYTES, 1024, Integer.MAX_VALUE),
                m.size("max_body", ConfigDefaults.MAX_BODY_BYTES, 0, Long.MAX_VALUE),
                m.duration("header_timeout", ConfigDefaults.HEADER_TIMEOUT, ms, day),
                m.duration("idle_timeout", ConfigDefaults.IDLE_TIMEOUT, ms, day),
                m.duration("shutdown_grace", ConfigDefaults.SHUTDOWN_GRACE, zero, day),
                m.integer("max_pipelined_requests", ConfigDefaults.MAX_PIPELINED_REQUESTS, 0, 1024),
                m.integer("max_concurrent_streams", ConfigDefaults.MAX_CONCURRENT_STREAMS, 1, 100_000),
                m.integer("max_connections_per_address", 0, 0, 1_000_000),
                m.integer("max_connections", ConfigDefaults.MAX_CONNECTIONS, 1, 10_000_000));
    }

    private static QuicConfig quic(MapReader m, boolean enabled) {
        QuicConfig def = QuicConfig.defaults().withEnabled(enabled);
        if (m == null) {
            return def;
        }
        java.time.Duration ms = java.time.Duration.ofMillis(1);
        java.time.Duration hour = java.time.Duration.ofHours(1);
        return new QuicConfig(enabled,
                m.size("initial_max_data", def.initialMaxData(), 1024, 1L << 40),
                m.size("initial_max_stream_data", def.initialMaxStreamData(), 1024, 1L << 40),
                m.integer("max_concurrent_streams", (int) def.maxConcurrentStreams(), 1, 100_000),
                m.duration("idle_timeout", def.idleTimeout(), ms, hour),
                m.choice("address_validation", def.addressValidation(),
                        Binder.enumOptions(QuicConfig.AddressValidation.class)),
                (int) m.size("udp_receive_buffer", def.receiveBuffer(), 4096, Integer.MAX_VALUE),
                (int) m.size("udp_send_buffer", def.sendBuffer(), 4096, Integer.MAX_VALUE),
                m.bool("alt_svc", def.altSvc()),
                m.bool("early_data", def.earlyData()),
                m.integer("retry_threshold", def.retryThreshold(), 0, 1_000_000));
    }

    private static ServerConfig server(MapReader m) {
        if (m == null) {
            return ServerConfig.defaults();
        }
        ServerConfig.Transport transport = m.choice("transport", ServerConfig.Transport.AUTO,
                Binder.enumOptions(ServerConfig.Transport.class));
        return new ServerConfig(transport, m.integer("workers", 0, 0, 1024),
                m.duration("busy_poll", ConfigDefaults.BUSY_POLL, Duration.ZERO, Duration.ofMillis(1)));
    }

    /** {@code audit_log: off | stdout | path}; absent: {@code null}, the record's default in the data dir. */
    private static AuditLogConfig auditLog(Binder binder, MapReader m) {
        YamlNode node = m.get("audit_log");
        if (node == null) {
            return null;
        }
        String t = binder.text(node, "audit_log", "off, stdout or a file path");
        if (t == null || t.equals("off") || t.equals("stdout")) {
            return t == null ? null : new AuditLogConfig(t);
        }
        Path p = binder.resolve(node, "audit_log", t);
        if (p != null && Files.isDirectory(p)) {
            binder.problems().invalid(node, "audit_log", p + " is a directory", "off, stdout or a file path");
            return null;
        }
        return p == null ? null : new AuditLogConfig(p.toString());
    }

    private static AccessLogConfig accessLog(Binder binder, MapReader m) {
        if (m == null) {
            return ConfigDefaults.accessLog();
        }
        String output = ConfigDefaults.ACCESS_LOG_OUTPUT;
        YamlNode node = m.get("output");
        String t = node == null ? null : binder.text(node, m.child("output"), "stdout, off or a file path");
        if (t != null && (t.equals("stdout") || t.equals("off"))) {
            output = t;
        } else if (t != null) {
            Path p = binder.resolve(node, m.child("output"), t);
            if (p != null && (p.getParent() == null || !Files.isDirectory(p.getParent()))) {
                binder.problems().invalid(node, m.child("output"), "the directory of " + p + " does not exist",
                        "stdout, off or a file in an existing directory");
            } else if (p != null && Files.isDirectory(p)) {
                binder.problems().invalid(node, m.child("output"), p + " is a directory",
                        "stdout, off or a file path");
            } else if (p != null) {
                output = p.toString();
            }
        }
        AccessLogConfig.Format format = m.choice("format", ConfigDefaults.ACCESS_LOG_FORMAT,
                Binder.enumOptions(AccessLogConfig.Format.class));
        return new AccessLogConfig(output, format);
    }
}
