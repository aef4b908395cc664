package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ranges} and the {@code access} maps of sites and routes. */
class AccessConfigTest {
    @TempDir
    Path dir;

    @Test
    void rangesAreExpandedInSiteAndRouteRules() throws Exception {
        PortcullisConfig c = load(dir,
                "ranges: {office: [10.0.0.0/8, \"2001:db8::/32\"], vpn: 192.0.2.7}",
                "sites:",
                "  - hosts: [a.test]",
                "    access: {deny: [vpn]}",
                "    routes:",
                "      - path: /admin/*",
                "        access: {allow: [office, 198.51.100.0/24], denied: close}",
                "        respond: admin",
                "      - respond: hi");
        SiteConfig site = c.sites().get(0);
        assertThat(site.access()).isEqualTo(new AccessConfig(List.of(), List.of(Cidr.parse("192.0.2.7")),
                AccessConfig.Denied.FORBIDDEN));
        assertThat(site.routes().get(0).access()).isEqualTo(new AccessConfig(
                List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32"), Cidr.parse("198.51.100.0/24")),
                List.of(), AccessConfig.Denied.CLOSE));
        assertThat(site.routes().get(1).access()).isEqualTo(AccessConfig.NONE);
    }

    @Test
    void badBlocksAndUnknownNamesAreLocated() {
        assertThat(problems(dir,
                "ranges: {office: [10.0.0.1/8], 9x: [10.0.0.0/8]}",
                "sites:",
                "  - hosts: [a.test]",
                "    access: {allow: [ofice, 300.0.0.0/8], denied: drop}",
                "    routes: [{respond: hi}]")).containsExactly(
                "test.yaml:1:19: ranges.office[0]: 10.0.0.1/8: host bits set after /8; the block is 10.0.0.0/8 "
                        + "(expected: " + Cidr.EXPECTED + ")",
                "test.yaml:1:32: ranges.9x: not a range name (expected: a letter, then letters, digits, _ or -)",
                "test.yaml:4:22: sites[0].access.allow[0]: ofice is not a defined range, did you mean office? "
                        + "(expected: an address block or a range name; one of office)",
                "test.yaml:4:29: sites[0].access.allow[1]: 300.0.0.0/8: not an IP address (300 > 255) "
                        + "(expected: " + Cidr.EXPECTED + ")",
                "test.yaml:4:51: sites[0].access.denied: drop (expected: forbidden or close)");
    }

    @Test
    void unknownAccessKeyIsReported() {
        assertThat(problems(dir,
                "sites: [{hosts: [a.test], routes: [{respond: hi, access: {alow: [10.0.0.0/8]}}]}]"))
                .containsExactly("test.yaml:1:59: sites[0].routes[0].access.alow: unknown key, did you mean allow? "
                        + "(expected: one of allow, deny, denied, deny_ja4)");
    }
}
