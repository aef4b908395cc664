package io.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of one Portcullis process, as loaded from one YAML file (or the embedded default).
 * Immutable: a reload builds a new instance and swaps it in atomically.
 *
 * @param source    the file this was read from; {@code null} for the embedded default
 * @param dataDir   where Portcullis keeps state it creates (local CA, ticket keys, ...)
 * @param listeners the TCP/UDP sockets to open
 * @param tls       the TLS policy shared by every site
 * @param limits    request and connection limits shared by every site
 * @param accessLog where and how requests are logged
 * @param server    transport and worker threads
 * @param sites     the sites, in config order; the first with {@code default: true} (or else the first) catches
 *                  requests whose host matches no site
 * @param quic      HTTP/3 over QUIC on the https port
 */
public record PortcullisConfig(
        Path source,
        Path dataDir,
        ListenersConfig listeners,
        TlsPolicyConfig tls,
        LimitsConfig limits,
        AccessLogConfig accessLog,
        ServerConfig server,
        List<SiteConfig> sites,
        QuicConfig quic) {

    public PortcullisConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(server, "server");
        sites = List.copyOf(sites);
        Objects.requireNonNull(quic, "quic");
    }

    /** With default {@link QuicConfig} settings. */
    public PortcullisConfig(Path source, Path dataDir, ListenersConfig listeners, TlsPolicyConfig tls,
                            LimitsConfig limits, AccessLogConfig accessLog, ServerConfig server,
                            List<SiteConfig> sites) {
        this(source, dataDir, listeners, tls, limits, accessLog, server, sites, QuicConfig.defaults());
    }

    /** With default {@link ServerConfig} settings. */
    public PortcullisConfig(Path source, Path dataDir, ListenersConfig listeners, TlsPolicyConfig tls,
                            LimitsConfig limits, AccessLogConfig accessLog, List<SiteConfig> sites) {
        this(source, dataDir, listeners, tls, limits, accessLog, ServerConfig.defaults(), sites);
    }

    /** The site that answers when no host matches: the one marked default, else the first. */
    public SiteConfig defaultSite() {
        return sites.stream().filter(SiteConfig::isDefault).findFirst().orElse(sites.isEmpty() ? null : sites.get(0));
    }

    /** A short name for log lines: the file name, or "embedded default". */
    public String sourceName() {
        return source == null ? "embedded default" : source.toString();
    }
}
