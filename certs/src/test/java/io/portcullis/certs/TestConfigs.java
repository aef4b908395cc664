package io.portcullis.certs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.portcullis.config.AccessLogConfig;
import io.portcullis.config.CertificateFiles;
import io.portcullis.config.HeadersConfig;
import io.portcullis.config.HstsConfig;
import io.portcullis.config.LimitsConfig;
import io.portcullis.config.ListenerConfig;
import io.portcullis.config.ListenersConfig;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.SiteConfig;
import io.portcullis.config.SiteTlsConfig;
import io.portcullis.config.TlsPolicyConfig;

/** Config records built in code, with the documented defaults. */
final class TestConfigs {
    private TestConfigs() {
    }

    static TlsPolicyConfig defaultPolicy() {
        return new TlsPolicyConfig("TLSv1.2", List.of(), List.of(), true, Duration.ofHours(12), Set.of());
    }

    static SiteConfig internalSite(boolean isDefault, String... hosts) {
        return site(isDefault, SiteTlsConfig.internal(), hosts);
    }

    static SiteConfig filesSite(List<CertificateFiles> certs, String... hosts) {
        return site(false, new SiteTlsConfig(SiteTlsConfig.Source.FILES, certs), hosts);
    }

    static SiteConfig site(boolean isDefault, SiteTlsConfig tls, String... hosts) {
        return new SiteConfig(List.of(hosts), isDefault, tls,
                new HstsConfig(HstsConfig.Mode.AUTO, 63072000, true, false), HeadersConfig.none(), List.of());
    }

    static PortcullisConfig config(Path dataDir, TlsPolicyConfig tls, SiteConfig... sites) {
        return new PortcullisConfig(null, dataDir,
                new ListenersConfig(new ListenerConfig("127.0.0.1", 0, true), new ListenerConfig("127.0.0.1", 0, false),
                        false),
                tls,
                new LimitsConfig(8192, 16384, 10 << 20, Duration.ofSeconds(10), Duration.ofSeconds(60),
                        Duration.ofSeconds(30), 16, 128),
                new AccessLogConfig("off", AccessLogConfig.Format.JSON),
                List.of(sites));
    }
}
