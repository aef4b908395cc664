package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteAndRouteTest {
    private static final String EXPECTED_SIZE = "(expected: a size: bytes, or a number with B, KiB, MiB, GiB, KB, "
            + "MB or GB, like 16KiB)";

    @TempDir
    Path dir;

    private HandlerConfig onlyHandler(String... lines) throws ConfigException {
        return load(dir, lines).sites().get(0).routes().get(0).handler();
    }

    @Test
    void hostsAreNormalised() throws Exception {
        PortcullisConfig c = load(dir,
                "sites: [{hosts: [WWW.Example.com., \"*.Example.com\", \"*.localhost\", \"::1\"], tls: internal}]");
        assertThat(c.sites().get(0).hosts()).containsExactly("www.example.com", "*.example.com", "*.localhost",
                "::1");
    }

    @Test
    void hostRules() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [\"*.com\", \"*\", 999.1.1.1, \"a..b\", \"-a.test\", a.test, A.TEST]")).containsExactly(
                "test.yaml:2:13: sites[0].hosts[0]: *.com: a wildcard needs at least two labels after it "
                        + "(expected: " + HttpSyntax.HOST_EXPECTED + ")",
                "test.yaml:2:22: sites[0].hosts[1]: *: a wildcard may only be the whole first label, as in "
                        + "*.example.com (expected: " + HttpSyntax.HOST_EXPECTED + ")",
                "test.yaml:2:27: sites[0].hosts[2]: 999.1.1.1: not a valid IPv4 address "
                        + "(expected: " + HttpSyntax.HOST_EXPECTED + ")",
                "test.yaml:2:38: sites[0].hosts[3]: a..b: not a valid host name "
                        + "(expected: " + HttpSyntax.HOST_EXPECTED + ")",
                "test.yaml:2:46: sites[0].hosts[4]: -a.test: not a valid host name "
                        + "(expected: " + HttpSyntax.HOST_EXPECTED + ")",
                "test.yaml:2:65: sites[0].hosts[6]: a.test is already a host of sites[0] "
                        + "(expected: each host in one site only)");
    }

    @Test
    void missingHostsAndEmptySites() {
        assertThat(problems(dir, "sites:", "  - routes: []")).containsExactly(
                "test.yaml:2:5: sites[0].hosts: missing (expected: a non-empty list of host names)");
        assertThat(problems(dir, "sites: [{hosts: []}]")).containsExactly(
                "test.yaml:1:17: sites[0].hosts: an empty list (expected: at least one host name)");
    }

    @Test
    void certificateFilesMustExist() throws Exception {
        ConfigTesting.write(dir.resolve("cert.pem"), "x");
        Files.createDirectories(dir.resolve("adir"));
        Path abs = dir.toAbsolutePath();
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    tls:",
                "      certificates:",
                "        - cert: cert.pem",
                "          key: missing.key",
                "        - {cert: adir}",
                "  - hosts: [b.test]",
                "    tls: bogus")).containsExactly(
                "test.yaml:6:16: sites[0].tls.certificates[0].key: " + abs.resolve("missing.key")
                        + " does not exist (expected: a readable file)",
                "test.yaml:7:11: sites[0].tls.certificates[1].key: missing (expected: a PEM private key file)",
                "test.yaml:7:18: sites[0].tls.certificates[1].cert: " + abs.resolve("adir")
                        + " is not a regular file (expected: a readable file)",
                "test.yaml:9:10: sites[1].tls: bogus "
                        + "(expected: internal, acme, or a map with certificates: [{cert: file, key: file}, ...])");
    }

    @Test
    void hstsShorthandsAndPreloadRule() throws Exception {
        PortcullisConfig c = load(dir,
                "sites:",
                "  - {hosts: [a.test], hsts: on}",
                "  - {hosts: [b.test], hsts: off}",
                "  - {hosts: [c.test], hsts: {max_age: 365d, preload: true}}");
        assertThat(c.sites().get(0).hsts()).isEqualTo(new HstsConfig(HstsConfig.Mode.ON, 63072000, true, false));
        assertThat(c.sites().get(1).hsts().mode()).isEqualTo(HstsConfig.Mode.OFF);
        assertThat(c.sites().get(2).hsts()).isEqualTo(new HstsConfig(HstsConfig.Mode.AUTO, 31536000, true, true));

        assertThat(problems(dir,
                "sites:",
                "  - {hosts: [a.test], hsts: {preload: true, include_subdomains: false}}",
                "  - {hosts: [b.test], hsts: {preload: true, max_age: 86400}}",
                "  - {hosts: [c.test], hsts: maybe}")).containsExactly(
                "test.yaml:2:39: sites[0].hsts.preload: true with include_subdomains: false (expected: preload only "
                        + "with include_subdomains: true and max_age >= 31536000 (one year))",
                "test.yaml:3:39: sites[1].hsts.preload: true with max_age: 86400 (expected: preload only "
                        + "with include_subdomains: true and max_age >= 31536000 (one year))",
                "test.yaml:4:29: sites[2].hsts: maybe (expected: auto, on, off or a map with keys mode, max_age, "
                        + "include_subdomains, preload)");
    }

    @Test
    void headerRules() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    headers:",
                "      add: {\"X A\": b, Content-Length: 5, X-Ok: \"a\\nb\", x-dup: 1, X-Dup: 2}",
                "      remove: [X-B, x-b, X-Ok2, \"bad name\", X-Dup]")).containsExactly(
                "test.yaml:4:13: sites[0].headers.add.X A: not a header name (expected: letters, digits and -)",
                "test.yaml:4:23: sites[0].headers.add.Content-Length: set by the server itself (expected: any header "
                        + "except connection, content-length, host, keep-alive, proxy-connection, te, trailer, "
                        + "transfer-encoding, upgrade)",
                "test.yaml:4:48: sites[0].headers.add.X-Ok: a value with a line break or control character "
                        + "(expected: a single-line header value)",
                "test.yaml:4:66: sites[0].headers.add.X-Dup: listed twice (expected: each header name once; names are "
                        + "case-insensitive)",
                "test.yaml:5:21: sites[0].headers.remove[1]: x-b is listed twice (expected: each name once)",
                "test.yaml:5:33: sites[0].headers.remove[3]: bad name (expected: a header name (letters, digits, -))",
                "test.yaml:5:45: sites[0].headers.remove[4]: X-Dup is also in add "
                        + "(expected: a name in add or in remove, not both)");
    }

    @Test
    void routeMatchRules() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    routes:",
                "      - {path: api, respond: x}",
                "      - {path: \"/a?b\", respond: x}",
                "      - {path: /a/../b, respond: x}",
                "      - {methods: [GET, get, \"G T\"], max_body: lots, respond: x}",
                "      - {methods: []}")).containsExactly(
                "test.yaml:4:16: sites[0].routes[0].path: api does not start with / "
                        + "(expected: a path starting with /, optionally with * wildcards, like /api/*)",
                "test.yaml:5:16: sites[0].routes[1].path: /a?b contains a space, control character, ? or # "
                        + "(expected: a path starting with /, optionally with * wildcards, like /api/*; "
                        + "query strings are not matched)",
                "test.yaml:6:16: sites[0].routes[2].path: /a/../b has . or .. segments, which never match a "
                        + "normalised path (expected: a path starting with /, optionally with * wildcards, like /api/*)",
                "test.yaml:7:25: sites[0].routes[3].methods[1]: GET is listed twice (expected: each method once)",
                "test.yaml:7:30: sites[0].routes[3].methods[2]: G T (expected: an HTTP method like GET)",
                "test.yaml:7:48: sites[0].routes[3].max_body: lots: not a size " + EXPECTED_SIZE,
                "test.yaml:8:9: sites[0].routes[4]: no handler "
                        + "(expected: exactly one of proxy, static, redirect, respond)",
                "test.yaml:8:19: sites[0].routes[4].methods: an empty list "
                        + "(expected: at least one method, or no methods key for all methods)");
    }

    @Test
    void exactlyOneHandler() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    routes:",
                "      - respond: hi",
                "        redirect: /x")).containsExactly(
                "test.yaml:5:9: sites[0].routes[0].redirect: a second handler next to respond (expected: exactly one"
                        + " of proxy, static, redirect, respond per route)");
    }

    @Test
    void proxyDefaultsAndUpstreamNormalisation() throws Exception {
        ProxyConfig p = (ProxyConfig) onlyHandler(
                "sites: [{hosts: [a.test], routes: [{proxy: {upstreams: [HTTP://Localhost, https://10.0.0.1/,"
                        + " \"https://[::1]:9443\"]}}]}]");
        assertThat(p.upstreams()).containsExactly(URI.create("http://localhost:80"),
                URI.create("https://10.0.0.1:443"), URI.create("https://[::1]:9443"));
        assertThat(p).isEqualTo(new ProxyConfig(p.upstreams(), ProxyConfig.Balance.ROUND_ROBIN,
                ConfigDefaults.PROXY_CONNECT_TIMEOUT, ConfigDefaults.PROXY_FIRST_BYTE_TIMEOUT,
                ConfigDefaults.PROXY_IDLE_TIMEOUT, 32, 3, ConfigDefaults.PROXY_FAIL_DURATION,
                new UpstreamTlsConfig(true, null, null)));
        ProxyConfig insecure = (ProxyConfig) onlyHandler(
                "sites: [{hosts: [a.test], routes: [{proxy: {upstreams: [https://b], tls: {verify: false}}}]}]");
        assertThat(insecure.tls()).isEqualTo(new UpstreamTlsConfig(false, null, null));
    }

    @Test
    void proxyRules() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    routes:",
                "      - proxy:",
                "          upstreams: [ftp://a, \"http://a/x\", http://b:80, \"http://b\", \"http://u@c\"]",
                "          balance: random",
                "          max_fails: 0",
                "          connect_timeout: 5",
                "          tls: {verify: nah, ca: nope.pem, server_name: 1.2.3.4}",
                "      - proxy: {balance: least_conn}",
                "      - proxy:")).containsExactly(
                "test.yaml:5:23: sites[0].routes[0].proxy.upstreams[0]: ftp://a has no http or https scheme "
                        + "(expected: http://host:port or https://host:port, without path or query)",
                "test.yaml:5:32: sites[0].routes[0].proxy.upstreams[1]: http://a/x has a path, query or fragment "
                        + "(expected: http://host:port or https://host:port, without path or query)",
                "test.yaml:5:59: sites[0].routes[0].proxy.upstreams[3]: http://b:80 is listed twice "
                        + "(expected: each upstream once)",
                "test.yaml:5:71: sites[0].routes[0].proxy.upstreams[4]: http://u@c has no valid host "
                        + "(expected: http://host:port or https://host:port, without path or query)",
                "test.yaml:6:20: sites[0].routes[0].proxy.balance: random (expected: round_robin or least_conn)",
                "test.yaml:7:22: sites[0].routes[0].proxy.max_fails: 0 is out of range "
                        + "(expected: an integer from 1 to 1000000)",
                "test.yaml:8:28: sites[0].routes[0].proxy.connect_timeout: 5: missing unit "
                        + "(expected: a duration like 500ms, 10s, 5m, 12h, 1d or 1h30m)",
                "test.yaml:9:25: sites[0].routes[0].proxy.tls.verify: nah (expected: true or false)",
                "test.yaml:9:34: sites[0].routes[0].proxy.tls.ca: " + dir.toAbsolutePath().resolve("nope.pem")
                        + " does not exist (expected: a readable file)",
                "test.yaml:9:57: sites[0].routes[0].proxy.tls.server_name: 1.2.3.4: an IP address cannot be sent as "
                        + "SNI (expected: a DNS name like backend.internal)",
                "test.yaml:10:16: sites[0].routes[1].proxy.upstreams: missing "
                        + "(expected: a list of http://host:port or https://host:port)",
                "test.yaml:11:9: sites[0].routes[2].proxy: empty (expected: a map with upstreams)");
    }

    @Test
    void staticRules() throws Exception {
        ConfigTesting.write(dir.resolve("file.txt"), "x");
        Path abs = dir.toAbsolutePath();
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    routes:",
                "      - static: {root: missing-dir, strip_prefix: assets, index: [a/b.html]}",
                "      - static: file.txt",
                "      - static: {index: []}")).containsExactly(
                "test.yaml:4:24: sites[0].routes[0].static.root: " + abs.resolve("missing-dir")
                        + " does not exist (expected: a readable directory)",
                "test.yaml:4:51: sites[0].routes[0].static.strip_prefix: assets "
                        + "(expected: a path prefix starting with /, without * or spaces, like /assets)",
                "test.yaml:4:67: sites[0].routes[0].static.index[0]: a/b.html "
                        + "(expected: a file name without /, like index.html)",
                "test.yaml:5:17: sites[0].routes[1].static: " + abs.resolve("file.txt")
                        + " is not a directory (expected: a readable directory)",
                "test.yaml:6:17: sites[0].routes[2].static.root: missing (expected: a directory to serve)");
    }

    @Test
    void redirectRules() throws Exception {
        assertThat(onlyHandler("sites: [{hosts: [a.test], routes: [{redirect: {to: \"https://{host}{path}{query}\","
                + " status: \"302\"}}]}]")).isEqualTo(new RedirectConfig("https://{host}{path}{query}", 302));
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    routes:",
                "      - redirect: {to: \"https://x{nope}\", status: 200}",
                "      - redirect: example.org",
                "      - redirect: {status: 301}")).containsExactly(
                "test.yaml:4:24: sites[0].routes[0].redirect.to: https://x{nope} has {nope} "
                        + "(expected: placeholders {path}, {query}, {host}, {uri})",
                "test.yaml:4:51: sites[0].routes[0].redirect.status: 200 (expected: 301, 302, 303, 307 or 308)",
                "test.yaml:5:19: sites[0].routes[1].redirect: example.org (expected: an http(s) URL or a path "
                        + "starting with /; placeholders {path}, {query}, {host}, {uri})",
                "test.yaml:6:19: sites[0].routes[2].redirect.to: missing "
                        + "(expected: a target URL like https://example.org{uri})");
    }

    @Test
    void respondRules() throws Exception {
        assertThat(onlyHandler("sites: [{hosts: [a.test], routes: [{respond: }]}]"))
                .isEqualTo(new RespondConfig(200, "", "text/plain; charset=utf-8", java.util.Map.of()));
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    routes:",
                "      - respond: {status: 600}",
                "      - respond: {status: 204, body: x, headers: {Content-Type: x, X-A: [1]}}",
                "      - respond: [a]")).containsExactly(
                "test.yaml:4:27: sites[0].routes[0].respond.status: 600 is out of range "
                        + "(expected: an integer from 100 to 599)",
                "test.yaml:5:38: sites[0].routes[1].respond.body: a body with status 204 "
                        + "(expected: no body with status 1xx, 204 or 304)",
                "test.yaml:5:51: sites[0].routes[1].respond.headers.Content-Type: set by content_type "
                        + "(expected: content_type instead)",
                "test.yaml:5:73: sites[0].routes[1].respond.headers.X-A: a list (expected: a header value)",
                "test.yaml:6:18: sites[0].routes[2].respond: a list (expected: a map with keys status, body, "
                        + "content_type, headers)");
    }

    @Test
    void altSvcIsPerSiteAndOnByDefault() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString(
                "sites:\n  - hosts: [a.test]\n  - hosts: [b.test]\n    alt_svc: false\n", "t.yaml", dir);
        assertThat(c.sites().get(0).altSvc()).isTrue();
        assertThat(c.sites().get(1).altSvc()).isFalse();
    }

    @Test
    void documentedListsMatchTheLoader() {
        assertThat(ConfigDefaults.CIPHERS).hasSize(6).allMatch(c -> c.startsWith("TLS_ECDHE_"));
        assertThat(ConfigLoader.ROOT_KEYS).containsExactly("data_dir", "listeners", "tls", "limits", "access_log",
                "server", "sites", "acme", "admin", "ranges", "trusted_proxies", "audit_log", "bans", "quic", "expiry_alerts");
        assertThat(RouteBinder.HANDLERS).isEqualTo(List.of("proxy", "static", "redirect", "respond"));
    }
}
