package io.portcullis.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every default of the configuration in one place; the loader, the docs ({@code docs/config.md}) and the server use
 * these, so they cannot drift apart.
 */
public final class ConfigDefaults {
    private ConfigDefaults() {
    }

    // data_dir
    /** The state directory when running as root. */
    public static final Path ROOT_DATA_DIR = Path.of("/var/lib/portcullis");

    // listeners
    public static final String LISTEN_ADDRESS = "0.0.0.0";
    public static final int HTTPS_PORT = 443;
    public static final int HTTP_PORT = 80;
    /** Off in config files; the embedded default config turns it on. */
    public static final boolean FALLBACK_PORTS = false;
    /** The ports used instead of 443 / 80 when {@code fallback_ports} is on and those cannot be bound. */
    public static final int FALLBACK_HTTPS_PORT = 8443;
    public static final int FALLBACK_HTTP_PORT = 8080;

    // server
    /**
     * Off: polling before sleeping won h1 A/B rounds, but the full benchmark runs did not show it clearly
     * (bench/README.md), and an optimisation is on by default only when they do.
     */
    public static final Duration BUSY_POLL = Duration.ZERO;

    // tls
    public static final String MIN_VERSION = "TLSv1.2";
    /** Mozilla's intermediate profile: ECDHE key exchange with AEAD ciphers only, server preference order. */
    public static final List<String> CIPHERS = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    public static final List<String> GROUPS = List.of("X25519", "P-256", "P-384");
    /** Groups accepted without an opt-in. */
    public static final List<String> STRONG_GROUPS = List.of("X25519", "X448", "P-256", "P-384", "P-521");
    public static final boolean SESSION_TICKETS = true;
    public static final Duration TICKET_KEY_ROTATION = Duration.ofHours(12);

    // limits
    public static final int MAX_URI_BYTES = 8 * 1024;
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final long MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final int MAX_PIPELINED_REQUESTS = 16;
    public static final int MAX_CONCURRENT_STREAMS = 128;
    /**
     * Open TCP connections, all listeners together: a bound a connection flood hits before the process runs out of
     * file descriptors or memory, and still far above what one machine of the size we aim at serves (see
     * docs/config.md for the reasoning).
     */
    public static final int MAX_CONNECTIONS = 16384;

    // access_log
    public static final String ACCESS_LOG_OUTPUT = "stdout";
    public static final AccessLogConfig.Format ACCESS_LOG_FORMAT = AccessLogConfig.Format.JSON;

    // sites
    public static final HstsConfig.Mode HSTS_MODE = HstsConfig.Mode.AUTO;
    public static final long HSTS_MAX_AGE = 63_072_000L;
    public static final boolean HSTS_INCLUDE_SUBDOMAINS = true;
    public static final boolean HSTS_PRELOAD = false;
    /** hstspreload.org requires at least a year. */
    public static final long HSTS_PRELOAD_MIN_MAX_AGE = 31_536_000L;

    // proxy
    public static final ProxyConfig.Balance BALANCE = ProxyConfig.Balance.ROUND_ROBIN;
    public static final Duration PROXY_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration PROXY_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration PROXY_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int PROXY_MAX_IDLE_PER_UPSTREAM = 32;
    public static final int PROXY_MAX_FAILS = 3;
    public static final Duration PROXY_FAIL_DURATION = Duration.ofSeconds(10);

    // static
    public static final List<String> STATIC_INDEX = List.of("index.html");
    public static final boolean STATIC_FOLLOW_SYMLINKS = false;
    public static final boolean STATIC_PRECOMPRESSED = true;

    // redirect, respond
    public static final int REDIRECT_STATUS = 308;
    public static final int RESPOND_STATUS = 200;
    public static final String RESPOND_BODY = "";
    public static final String RESPOND_CONTENT_TYPE = "text/plain; charset=utf-8";

    /**
     * The default {@code data_dir} for this process: {@link #ROOT_DATA_DIR} as root, else
     * {@code $XDG_DATA_HOME/portcullis}, else {@code ~/.local/share/portcullis}.
     */
    public static Path dataDir() {
        return dataDir(System.getProperty("user.name"), System.getenv(), System.getProperty("user.home"));
    }

    /** {@link #dataDir()} for a given user name, environment and home directory. */
    public static Path dataDir(String userName, Map<String, String> env, String userHome) {
        if ("root".equals(userName)) {
            return ROOT_DATA_DIR;
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "portcullis");
        }
        return Path.of(userHome, ".local", "share", "portcullis");
    }

    public static ListenersConfig listeners() {
        return new ListenersConfig(new ListenerConfig(LISTEN_ADDRESS, HTTPS_PORT, true),
                new ListenerConfig(LISTEN_ADDRESS, HTTP_PORT, true), FALLBACK_PORTS);
    }

    public static TlsPolicyConfig tls() {
        return new TlsPolicyConfig(MIN_VERSION, CIPHERS, GROUPS, SESSION_TICKETS, TICKET_KEY_ROTATION, java.util.Set.of());
    }

    public static LimitsConfig limits() {
        return new LimitsConfig(MAX_URI_BYTES, MAX_HEADER_BYTES, MAX_BODY_BYTES, HEADER_TIMEOUT, IDLE_TIMEOUT,
                SHUTDOWN_GRACE, MAX_PIPELINED_REQUESTS, MAX_CONCURRENT_STREAMS);
    }

    public static AccessLogConfig accessLog() {
        return new AccessLogConfig(ACCESS_LOG_OUTPUT, ACCESS_LOG_FORMAT);
    }

    public static HstsConfig hsts() {
        return new HstsConfig(HSTS_MODE, HSTS_MAX_AGE, HSTS_INCLUDE_SUBDOMAINS, HSTS_PRELOAD);
    }

    public static UpstreamTlsConfig upstreamTls() {
        return new UpstreamTlsConfig(true, null, null);
    }
}
