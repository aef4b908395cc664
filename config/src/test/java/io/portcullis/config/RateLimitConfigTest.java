package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitConfigTest {
    @TempDir
    Path dir;

    @Test
    void rateBurstAndKey() throws Exception {
        PortcullisConfig c = load(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    routes:",
                "      - {path: /a, rate_limit: {rate: 10/s}, respond: a}",
                "      - {path: /b, rate_limit: {rate: 600 / m, burst: 50, key: \"header:X-Api-Key\"}, respond: b}",
                "      - {path: /c, rate_limit: {rate: 5/h, key: route}, respond: c}",
                "      - respond: d");
        var routes = c.sites().get(0).routes();
        assertThat(routes.get(0).rateLimit()).isEqualTo(new RateLimitConfig(10, Duration.ofSeconds(1), 10,
                RateLimitConfig.Key.ADDRESS, null));
        assertThat(routes.get(1).rateLimit()).isEqualTo(new RateLimitConfig(600, Duration.ofMinutes(1), 50,
                RateLimitConfig.Key.HEADER, "X-Api-Key"));
        assertThat(routes.get(2).rateLimit()).isEqualTo(new RateLimitConfig(5, Duration.ofHours(1), 5,
                RateLimitConfig.Key.ROUTE, null));
        assertThat(routes.get(3).rateLimit()).isNull();
    }

    @Test
    void badValuesAreLocated() {
        assertThat(problems(dir,
                "sites:",
                "  - hosts: [a.test]",
                "    routes:",
                "      - {rate_limit: {rate: 10/week, burst: 0, key: cookie}, respond: a}",
                "      - {rate_limit: {burst: 3}, respond: b}")).containsExactly(
                "test.yaml:4:29: sites[0].routes[0].rate_limit.rate: 10/week (expected: "
                        + RateLimitBinder.RATE_EXPECTED + ")",
                "test.yaml:4:45: sites[0].routes[0].rate_limit.burst: 0 is out of range (expected: an integer "
                        + "from 1 to 1000000000)",
                "test.yaml:4:53: sites[0].routes[0].rate_limit.key: cookie (expected: address, route, ja4 or "
                        + "header:<Name>)",
                "test.yaml:5:22: sites[0].routes[1].rate_limit.rate: missing (expected: "
                        + RateLimitBinder.RATE_EXPECTED + ")");
    }
}
