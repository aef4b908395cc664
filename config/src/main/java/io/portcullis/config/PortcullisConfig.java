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
 * @param acme      how public certificates are issued; {@code null} when the config has no {@code acme:} block and
 *                  no site asks for {@code tls: acme}
 * @param admin     the loopback admin endpoint
 * @param auditLog  where security events go; {@code null} means {@code <dataDir>/audit.log}
 * @param bans      built-in fail2ban rules; {@link BansConfig#OFF} by default
 * @param trustedProxies peers whose X-Forwarded-For / Forwarded headers and PROXY protocol headers are believed
 * @param quic      HTTP/3 over QUIC on the https port
 * @param expiryAlerts alerts about certificates nobody renews running out (log thresholds, optional webhook)
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
        AcmeConfig acme,
        AdminConfig admin,
        List<Cidr> trustedProxies,
        AuditLogConfig auditLog,
        BansConfig bans,
        QuicConfig quic,
        ExpiryAlertsConfig expiryAlerts) {

    public PortcullisConfig {
        bans = bans == null ? BansConfig.OFF : bans;
        auditLog = auditLog != null ? auditLog
                : new AuditLogConfig(dataDir.resolve(AuditLogConfig.DEFAULT_FILE).toString());
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(server, "server");
        sites = List.copyOf(sites);
        admin = admin == null ? AdminConfig.defaults() : admin;
        quic = quic == null ? QuicConfig.defaults() : quic;
        expiryAlerts = expiryAlerts == null ? ExpiryAlertsConfig.defaults() : expiryAlerts;
    }

    /** With no guards, default {@link QuicConfig} settings and the default expiry alerts (logs only). */
    public PortcullisConfig(Path source, Path dataDir, ListenersConfig listeners, TlsPolicyConfig tls,
                            LimitsConfig limits, AccessLogConfig accessLog, ServerConfig server,
                            List<SiteConfig> sites, AcmeConfig acme, AdminConfig admin) {
        this(source, dataDir, listeners, tls, limits, accessLog, server, sites, acme, admin, List.of(), null,
                BansConfig.OFF, null, null);
    }

    /** With the default admin endpoint, no guards and default {@link QuicConfig} settings. */
    public PortcullisConfig(Path source, Path dataDir, ListenersConfig listeners, TlsPolicyConfig tls,
                            LimitsConfig limits, AccessLogConfig accessLog, ServerConfig server,
                            List<SiteConfig> sites, AcmeConfig acme) {
        this(source, dataDir, listeners, tls, limits, accessLog, server, sites, acme, (AdminConfig) null);
    }

    /** Without ACME, trusted proxies or bans. */
    public PortcullisConfig(Path source, Path dataDir, ListenersConfig listeners, TlsPolicyConfig tls,
                            LimitsConfig limits, AccessLogConfig accessLog, ServerConfig server,
                            List<SiteConfig> sites) {
        this(source, dataDir, listeners, tls, limits, accessLog, server, sites, null);
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
