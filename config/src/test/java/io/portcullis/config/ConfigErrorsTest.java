package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locations and wording of problems outside tls, sites and routes; several problems at once; YAML errors. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    rotes: []")).containsExactly(
                "test.yaml:3:5: sites[0].rotes: unknown key, did you mean routes? "
                        + "(expected: one of hosts, default, tls, hsts, headers, routes, access, alt_svc)");
    }

    @Test
    void unknownKeyWithoutACloseMatchOnlyListsTheKnownKeys() {
        assertThat(problems(dir,
                "listeners:",
                "  https: {address: 127.0.0.1, banana: 1}",
                "sites: [{hosts: [a.test]}]")).containsExactly(
                "test.yaml:2:31: listeners.https.banana: unknown key (expected: one of address, port, enabled, proxy_protocol, http3)");
    }

    @Test
    void hyphenForUnderscoreIsSuggested() {
        assertThat(problems(dir,
                "sites: [{hosts: [a.test], hsts: {max-age: 5}}]")).containsExactly(
                "test.yaml:1:34: sites[0].hsts.max-age: unknown key, did you mean max_age? "
                        + "(expected: one of mode, max_age, include_subdomains, preload)");
    }

    @Test
    void collectsEveryProblemInOnePassSortedByLocation() {
        assertThat(problems(dir,
                "listeners:",
                "  https: {prot: 443, address: foo}",
                "  http: {port: 70000}",
                "limits:",
                "  max_body: 10 mb",
                "  idle_timeout: 10",
                "tls:",
                "  min_version: TLSv1.0",
                "sites:",
                "  - hosts: [a.test, \"*.b.test\", \"a.*.test\", \"bad_host\"]",
                "    default: true",
                "  - hosts: [A.test]",
                "    default: true",
                "sites2: 1")).containsExactly(
                "test.yaml:2:11: listeners.https.prot: unknown key (expected: one of address, port, enabled, proxy_protocol, http3)",
                "test.yaml:2:31: listeners.https.address: foo "
                        + "(expected: an IP address like 0.0.0.0, :: or 127.0.0.1, or localhost)",
                "test.yaml:3:16: listeners.http.port: 70000 is out of range (expected: an integer from 0 to 65535)",
                "test.yaml:5:13: limits.max_body: 10 mb: unknown unit mb "
                        + "(expected: a size: bytes, or a number with B, KiB, MiB, GiB, KB, MB or GB, like 16KiB)",
                "test.yaml:6:17: limits.idle_timeout: 10: missing unit "
                        + "(expected: a duration like 500ms, 10s, 5m, 12h, 1d or 1h30m)",
                "test.yaml:8:16: tls.min_version: TLSv1.0 "
                        + "(expected: TLSv1.2 or TLSv1.3; older versions only with insecure_legacy)",
                "test.yaml:10:33: sites[0].hosts[2]: a.*.test: a wildcard may only be the whole first label, as in "
                        + "*.example.com (expected: a DNS name like example.com, a wildcard like *.example.com, "
                        + "localhost or an IP address)",
                "test.yaml:10:45: sites[0].hosts[3]: bad_host: not a valid host name (expected: a DNS name like "
                        + "example.com, a wildcard like *.example.com, localhost or an IP address)",
                "test.yaml:12:13: sites[1].hosts[0]: a.test is already a host of sites[0] "
                        + "(expected: each host in one site only)",
                "test.yaml:13:14: sites[1].default: a second default site "
                        + "(expected: at most one site with default: true; sites[0] is already the default)",
                "test.yaml:14:1: sites2: unknown key, did you mean sites? "
                        + "(expected: one of data_dir, listeners, tls, limits, access_log, server, sites, acme, admin, "
                        + "ranges, trusted_proxies, audit_log, bans, quic, expiry_alerts)");
    }

    @Test
    void wrongTypesNameWhatWasFound() {
        assertThat(problems(dir,
                "data_dir: [a]",
                "limits: 5",
                "sites:",
                "  - 42")).containsExactly(
                "test.yaml:1:11: data_dir: a list (expected: a directory path)",
                "test.yaml:2:9: limits: 5 (expected: a map with keys max_uri, max_header, max_body, header_timeout, "
                        + "idle_timeout, shutdown_grace, max_pipelined_requests, max_concurrent_streams, "
                        + "max_connections_per_address, max_connections)",
                "test.yaml:4:5: sites[0]: 42 (expected: a map with keys hosts, default, tls, hsts, headers, routes, "
                        + "access, alt_svc)");
    }

    @Test
    void missingSitesIsReportedAtTheRoot() {
        assertThat(problems(dir,
                "# comment",
                "data_dir: /tmp/x")).containsExactly(
                "test.yaml:2:1: sites: missing (expected: a list of at least one site)");
    }

    @Test
    void emptyRequiredValueIsReportedAtItsKey() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts:",
                "    routes: []")).containsExactly(
                "test.yaml:2:5: sites[0].hosts: empty (expected: a non-empty list of host names)");
    }

    @Test
    void limitsOutOfRange() {
        assertThat(problems(dir,
                "limits:",
                "  max_uri: 10",
                "  max_header: 3GiB",
                "  header_timeout: 2d",
                "  max_concurrent_streams: 0",
                "sites: [{hosts: [a.test]}]")).containsExactly(
                "test.yaml:2:12: limits.max_uri: 10 is out of range (expected: from 64 to 2147483647)",
                "test.yaml:3:15: limits.max_header: 3GiB is out of range (expected: from 1KiB to 2147483647)",
                "test.yaml:4:19: limits.header_timeout: 2d is out of range (expected: from 1ms to 1d)",
                "test.yaml:5:27: limits.max_concurrent_streams: 0 is out of range (expected: an integer from 1 to 100000)");
    }

    @Test
    void sameHttpsAndHttpPort() {
        assertThat(problems(dir,
                "listeners:",
                "  https: {port: 8000}",
                "  http: {port: 8000}",
                "sites: [{hosts: [a.test]}]")).containsExactly(
                "test.yaml:3:16: listeners.http.port: 8000 is also the https port "
                        + "(expected: different ports for https and http)");
    }

    @Test
    void accessLogChecks() {
        assertThat(problems(dir,
                "access_log: {output: /nonexistent/dir/log, format: xml}",
                "sites: [{hosts: [a.test]}]")).containsExactly(
                "test.yaml:1:22: access_log.output: the directory of /nonexistent/dir/log does not exist "
                        + "(expected: stdout, off or a file in an existing directory)",
                "test.yaml:1:52: access_log.format: xml (expected: json or combined)");
    }

    @Test
    void duplicateKey() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [x.test]",
                "    hosts: [y.test]")).containsExactly(
                "test.yaml:3:5: hosts: duplicate key (expected: each key once per map; first at line 2)");
    }

    @Test
    void yamlSyntaxErrorIsLocated() {
        assertThat(problems(dir,
                "sites: [{hosts: [a.test]}]",
                "tls:",
                "  ciphers: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "limits: {}")).containsExactly(
                "test.yaml:4:7: YAML syntax error: expected ',' or ']', but got : "
                        + "(while parsing a flow sequence started at line 3, column 12)");
    }

    @Test
    void unterminatedQuoteIsLocatedWhereTheStringStarted() {
        assertThat(problems(dir,
                "sites: [{hosts: [a.test]}]",
                "data_dir: \"/var/lib")).containsExactly(
                "test.yaml:3:1: YAML syntax error: found unexpected end of stream "
                        + "(while scanning a quoted scalar started at line 2, column 11)");
    }

    @Test
    void badIndentation() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "   routes: []")).containsExactly(
                "test.yaml:3:4: YAML syntax error: expected <block end>, but found '<block mapping start>' "
                        + "(while parsing a block collection started at line 2, column 3)");
    }

    @Test
    void emptyDocumentAndNonMapRoot() {
        assertThat(problems(dir, "# nothing")).containsExactly(
                "test.yaml:1:1: empty config (expected: a map with at least sites)");
        assertThat(problems(dir, "", "- a")).containsExactly(
                "test.yaml:2:1: the config is a list (expected: a map with keys data_dir, listeners, tls, limits, "
                        + "access_log, server, sites, acme, admin, ranges, trusted_proxies, audit_log, bans, quic, expiry_alerts)");
    }

    @Test
    void secondDocumentAndUnknownAlias() {
        assertThat(problems(dir,
                "sites: [{hosts: [a.test], routes: *nope}]",
                "---",
                "a: 1")).containsExactly(
                "test.yaml:1:35: *nope: unknown alias (expected: the name of an anchor (&nope) defined earlier in "
                        + "the file)",
                "test.yaml:3:1: a second YAML document (expected: one document per config file)");
    }

    @Test
    void exceptionMessageListsEveryProblemOnItsOwnLine() {
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> ConfigTesting.load(dir, "sites: []", "bogus: 1"));
        assertThat(e.getMessage()).isEqualTo(
                "test.yaml:1:8: sites: an empty list (expected: at least one site)\n"
                        + "test.yaml:2:1: bogus: unknown key (expected: one of data_dir, listeners, tls, limits, "
                        + "access_log, server, sites, acme, admin, ranges, trusted_proxies, audit_log, bans, quic, expiry_alerts)");
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(1)).isEqualTo(new ConfigProblem("test.yaml", 2, 1,
                "bogus: unknown key (expected: one of data_dir, listeners, tls, limits, access_log, server, sites, "
                        + "acme, admin, ranges, trusted_proxies, audit_log, bans, quic, expiry_alerts)"));
    }
}
