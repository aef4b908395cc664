package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void minimalConfigGetsEveryDefault() throws Exception {
        PortcullisConfig c = load(dir, "sites: [{hosts: [localhost], routes: [{respond: \"hi\"}]}]");

        assertThat(c.source()).isNull();
        assertThat(c.dataDir()).isEqualTo(ConfigDefaults.dataDir());
        assertThat(c.listeners()).isEqualTo(new ListenersConfig(new ListenerConfig("0.0.0.0", 443, true),
                new ListenerConfig("0.0.0.0", 80, true), false));
        assertThat(c.tls()).isEqualTo(new TlsPolicyConfig("TLSv1.2", List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                List.of("X25519", "P-256", "P-384"), true, Duration.ofHours(12), Set.of()));
        assertThat(c.tls().weakenings()).isEmpty();
        assertThat(c.limits()).isEqualTo(new LimitsConfig(8192, 16384, 10L * 1024 * 1024, Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ofSeconds(30), 16, 128));
        assertThat(c.accessLog()).isEqualTo(new AccessLogConfig("stdout", AccessLogConfig.Format.JSON));
        assertThat(c.sites()).containsExactly(new SiteConfig(List.of("localhost"), false, SiteTlsConfig.internal(),
                new HstsConfig(HstsConfig.Mode.AUTO, 63072000, true, false), HeadersConfig.none(),
                List.of(new RouteConfig(null, Set.of(), null,
                        new RespondConfig(200, "hi", "text/plain; charset=utf-8", Map.of())))));
        assertThat(c.defaultSite().hosts()).containsExactly("localhost");
    }

    @Test
    void siteWithoutRoutesHasNone() throws Exception {
        PortcullisConfig c = load(dir, "sites:", "  - hosts: [example.com]");
        assertThat(c.sites().get(0).routes()).isEmpty();
    }

    @Test
    void fullConfigLoadsIntoTheRecords() throws Exception {
        ConfigTesting.write(dir.resolve("certs/ec.pem"), "chain");
        ConfigTesting.write(dir.resolve("certs/ec.key"), "key");
        ConfigTesting.write(dir.resolve("certs/rsa.pem"), "chain");
        ConfigTesting.write(dir.resolve("certs/rsa.key"), "key");
        ConfigTesting.write(dir.resolve("ca.pem"), "ca");
        Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(dir.resolve("logs"));

        PortcullisConfig c = load(dir,
                "data_dir: state",
                "listeners:",
                "  https: { address: 127.0.0.1, port: 8443, enabled: true }",
                "  http:  { address: '::', port: 8080, enabled: false }",
                "  fallback_ports: true",
                "tls:",
                "  min_version: TLSv1.3",
                "  ciphers: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]",
                "  groups: [X25519, secp384r1, P-521]",
                "  session_tickets: false",
                "  ticket_key_rotation: 1h30m",
                "  insecure_legacy: []",
                "limits:",
                "  max_uri: 4KiB",
                "  max_header: 32KiB",
                "  max_body: 1GB",
                "  header_timeout: 5s",
                "  idle_timeout: 2m",
                "  shutdown_grace: 0",
                "  max_pipelined_requests: 0",
                "  max_concurrent_streams: 100",
                "access_log:",
                "  output: logs/access.log",
                "  format: combined",
                "sites:",
                "  - hosts: [Example.COM, \"*.example.com\", 192.0.2.7, \"[2001:DB8::1]\", bücher.example]",
                "    default: true",
                "    tls:",
                "      certificates:",
                "        - { cert: certs/ec.pem, key: certs/ec.key }",
                "        - cert: certs/rsa.pem",
                "          key: certs/rsa.key",
                "    hsts: { mode: on, max_age: 31536000, include_subdomains: true, preload: true }",
                "    headers: { add: {X-Frame-Options: SAMEORIGIN, X-Num: 42}, remove: [Server] }",
                "    routes:",
                "      - path: /api/*",
                "        methods: [get, POST]",
                "        max_body: 1GiB",
                "        proxy:",
                "          upstreams: [http://127.0.0.1:8080, https://Backend.internal]",
                "          balance: least_conn",
                "          connect_timeout: 2s",
                "          first_byte_timeout: 30s",
                "          idle_timeout: 90s",
                "          max_idle_per_upstream: 8",
                "          max_fails: 5",
                "          fail_duration: 1m",
                "          tls: { verify: true, ca: ca.pem, server_name: backend.internal }",
                "      - path: /assets/*",
                "        static: { root: ./www, strip_prefix: /assets/, index: [index.htm, default.html],"
                        + " follow_symlinks: true, precompressed: false }",
                "      - path: /old",
                "        redirect: { to: \"https://example.org{uri}\", status: 301 }",
                "      - respond: { status: 404, body: nope, content_type: text/html, headers: {X-A: b} }",
                "  - hosts: other.test",
                "    tls: internal",
                "    hsts: off",
                "    routes:",
                "      - redirect: /new{query}",
                "      - static: www");

        assertThat(c.dataDir()).isEqualTo(dir.toAbsolutePath().resolve("state"));
        assertThat(c.listeners()).isEqualTo(new ListenersConfig(new ListenerConfig("127.0.0.1", 8443, true),
                new ListenerConfig("::", 8080, false), true));
        assertThat(c.tls()).isEqualTo(new TlsPolicyConfig("TLSv1.3",
                List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                List.of("X25519", "P-384", "P-521"), false, Duration.ofMinutes(90), Set.of()));
        assertThat(c.limits()).isEqualTo(new LimitsConfig(4096, 32768, 1_000_000_000L, Duration.ofSeconds(5),
                Duration.ofMinutes(2), Duration.ZERO, 0, 100));
        assertThat(c.accessLog()).isEqualTo(new AccessLogConfig(
                dir.toAbsolutePath().resolve("logs/access.log").toString(), AccessLogConfig.Format.COMBINED));

        SiteConfig site = c.sites().get(0);
        assertThat(site.hosts()).containsExactly("example.com", "*.example.com", "192.0.2.7", "2001:db8::1",
                "xn--bcher-kva.example");
        assertThat(site.isDefault()).isTrue();
        Path abs = dir.toAbsolutePath();
        assertThat(site.tls()).isEqualTo(new SiteTlsConfig(SiteTlsConfig.Source.FILES, List.of(
                new CertificateFiles(abs.resolve("certs/ec.pem"), abs.resolve("certs/ec.key")),
                new CertificateFiles(abs.resolve("certs/rsa.pem"), abs.resolve("certs/rsa.key")))));
        assertThat(site.hsts()).isEqualTo(new HstsConfig(HstsConfig.Mode.ON, 31536000, true, true));
        assertThat(site.headers().add()).containsExactly(Map.entry("X-Frame-Options", "SAMEORIGIN"),
                Map.entry("X-Num", "42"));
        assertThat(site.headers().remove()).containsExactly("Server");

        List<RouteConfig> routes = site.routes();
        assertThat(routes).hasSize(4);
        assertThat(routes.get(0)).isEqualTo(new RouteConfig("/api/*", Set.of("GET", "POST"), 1L << 30,
                new ProxyConfig(List.of(URI.create("http://127.0.0.1:8080"), URI.create("https://backend.internal:443")),
                        ProxyConfig.Balance.LEAST_CONN, Duration.ofSeconds(2), Duration.ofSeconds(30),
                        Duration.ofSeconds(90), 8, 5, Duration.ofMinutes(1),
                        new UpstreamTlsConfig(true, abs.resolve("ca.pem"), "backend.internal"))));
        assertThat(routes.get(1)).isEqualTo(new RouteConfig("/assets/*", Set.of(), null,
                new StaticConfig(abs.resolve("www"), "/assets", List.of("index.htm", "default.html"), true, false)));
        assertThat(routes.get(2)).isEqualTo(new RouteConfig("/old", Set.of(), null,
                new RedirectConfig("https://example.org{uri}", 301)));
        assertThat(routes.get(3)).isEqualTo(new RouteConfig(null, Set.of(), null,
                new RespondConfig(404, "nope", "text/html", Map.of("X-A", "b"))));

        SiteConfig other = c.sites().get(1);
        assertThat(other.hosts()).containsExactly("other.test");
        assertThat(other.isDefault()).isFalse();
        assertThat(other.tls()).isEqualTo(SiteTlsConfig.internal());
        assertThat(other.hsts().mode()).isEqualTo(HstsConfig.Mode.OFF);
        assertThat(other.routes().get(0).handler()).isEqualTo(new RedirectConfig("/new{query}", 308));
        assertThat(other.routes().get(1).handler()).isEqualTo(
                new StaticConfig(abs.resolve("www"), null, List.of("index.html"), false, true));
        assertThat(c.defaultSite()).isSameAs(site);
    }

    @Test
    void loadResolvesAgainstTheFilesDirectory() throws Exception {
        Path confDir = dir.resolve("etc");
        Files.createDirectories(confDir.resolve("public"));
        Path file = ConfigTesting.write(confDir.resolve("portcullis.yaml"), yaml(
                "data_dir: data",
                "sites:",
                "  - hosts: [localhost]",
                "    routes: [{static: public}]"));

        PortcullisConfig c = ConfigLoader.load(file);

        assertThat(c.source()).isEqualTo(file.toAbsolutePath());
        assertThat(c.sourceName()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(c.dataDir()).isEqualTo(confDir.toAbsolutePath().resolve("data"));
        assertThat(((StaticConfig) c.sites().get(0).routes().get(0).handler()).root())
                .isEqualTo(confDir.toAbsolutePath().resolve("public"));
    }

    @Test
    void loadReportsProblemsAgainstTheGivenPath() throws Exception {
        Path file = ConfigTesting.write(dir.resolve("bad.yaml"), yaml("sites: []"));
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(file));
        assertThat(e.problems()).containsExactly(
                new ConfigProblem(file.toString(), 1, 8, "sites: an empty list (expected: at least one site)"));
        assertThat(e.getMessage()).isEqualTo(file + ":1:8: sites: an empty list (expected: at least one site)");
    }

    @Test
    void missingFileIsAProblem() {
        Path file = dir.resolve("nope.yaml");
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(file));
        assertThat(e.problems()).extracting(ConfigProblem::toString)
                .containsExactly(file + ":1:1: cannot read the config: no such file");
    }

    @Test
    void anchorsAndAliasesAreShared() throws Exception {
        PortcullisConfig c = load(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    routes: &r [{respond: shared}]",
                "  - hosts: [b.test]",
                "    routes: *r");
        assertThat(c.sites().get(1).routes()).isEqualTo(c.sites().get(0).routes());
    }

    @Test
    void dataDirDefaultDependsOnTheUser() {
        assertThat(ConfigDefaults.dataDir("root", Map.of(), "/root")).isEqualTo(Path.of("/var/lib/portcullis"));
        assertThat(ConfigDefaults.dataDir("ann", Map.of("XDG_DATA_HOME", "/x/data"), "/home/ann"))
                .isEqualTo(Path.of("/x/data/portcullis"));
        assertThat(ConfigDefaults.dataDir("ann", Map.of(), "/home/ann"))
                .isEqualTo(Path.of("/home/ann/.local/share/portcullis"));
        assertThat(ConfigDefaults.dataDir("ann", Map.of("XDG_DATA_HOME", "relative"), "/home/ann"))
                .isEqualTo(Path.of("/home/ann/.local/share/portcullis"));
    }

    @Test
    void problemToStringIsFileLineColMessage() {
        assertThat(new ConfigProblem("a.yaml", 3, 7, "x: y (expected: z)").toString())
                .isEqualTo("a.yaml:3:7: x: y (expected: z)");
    }
}
