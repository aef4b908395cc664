package io.portcullis.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Socket-free parts: target parsing, host name matching, header parsing, grade order. */
class ScanUnitTest {
    @Test
    void targetsParseHostPortIpv6AndUrls() {
        assertThat(ScanTarget.parse("example.com", null, null)).isEqualTo(new ScanTarget("example.com", 443, null,
                null));
        assertThat(ScanTarget.parse("example.com:8443", "x.test", "10.0.0.1").port()).isEqualTo(8443);
        assertThat(ScanTarget.parse("[2001:db8::1]:444", null, null).host()).isEqualTo("2001:db8::1");
        assertThat(ScanTarget.parse("2001:db8::1", null, null).port()).isEqualTo(443);
        assertThat(ScanTarget.parse("https://example.com/path", null, null).display()).isEqualTo("example.com:443");
        assertThat(ScanTarget.parse("[::1]:8443", null, null).display()).isEqualTo("[::1]:8443");
        assertThatThrownBy(() -> ScanTarget.parse("example.com:http", null, null))
                .hasMessageContaining("(expected: 1-65535)");
    }

    @Test
    void wildcardsMatchOneLabelOnly() {
        assertThat(HostnameMatcher.dnsMatch("*.example.com", "a.example.com")).isTrue();
        assertThat(HostnameMatcher.dnsMatch("*.example.com", "example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatch("*.example.com", "a.b.example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatch("*.com", "example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatch("example.com", "example.com")).isTrue();
    }

    @Test
    void httpHeadersYieldHstsAndH3() {
        ScanReport.HttpFinding f = HttpInspector.fromHead("HTTP/1.1 200 OK\r\nServer: nginx/1.22\r\n"
                + "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\r\n"
                + "X-Content-Type-Options: nosniff\r\nAlt-Svc: h3=\":443\"; ma=86400\r\n\r\n", "h2", "redirects");
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.server()).isEqualTo("nginx/1.22");
        assertThat(f.hstsMaxAge()).isEqualTo(63072000L);
        assertThat(f.hstsIncludeSubdomains()).isTrue();
        assertThat(f.hstsPreload()).isTrue();
        assertThat(f.h3Advertised()).isTrue();
        assertThat(f.missingSecurityHeaders()).containsExactly("content-security-policy", "x-frame-options",
                "referrer-policy", "permissions-policy");
    }

    @Test
    void gradeOrderPutsTrustAndMismatchBelowF() {
        List<String> order = List.of("A+", "A", "A-", "B", "C", "D", "E", "F");
        for (int i = 1; i < order.size(); i++) {
            assertThat(Grader.rank(order.get(i))).isLessThan(Grader.rank(order.get(i - 1)));
        }
        assertThat(Grader.rank("T")).isLessThan(Grader.rank("F"));
        assertThat(Grader.rank("M")).isLessThan(Grader.rank("F"));
        assertThat(Grader.letter(80)).isEqualTo("A");
        assertThat(Grader.letter(79)).isEqualTo("B");
        assertThat(Grader.letter(19)).isEqualTo("F");
    }

    @Test
    void sweepCoversRegistryAndUnknownCodePoints() {
        assertThat(SuiteCatalog.legacy()).contains(0xC02F, 0x0041, 0xC0FF).doesNotContain(0x00FF, 0x5600, 0x1301);
        assertThat(SuiteCatalog.describe(0x0041).name()).isEqualTo("UNKNOWN_0041");
        assertThat(SuiteCatalog.describe(0xC02F).strength()).isEqualTo("strong");
    }
}
