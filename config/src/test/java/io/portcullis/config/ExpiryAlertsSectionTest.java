package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code expiry_alerts:} block: thresholds and the optional webhook. */
class ExpiryAlertsSectionTest {
    @TempDir
    Path dir;

    @Test
    void absentMeansLogsOnlyAt30_14And7Days() throws Exception {
        PortcullisConfig c = load(dir, "sites: [{hosts: [localhost]}]");
        assertThat(c.expiryAlerts()).isEqualTo(ExpiryAlertsConfig.defaults());
        assertThat(c.expiryAlerts().webhook()).isNull();
        assertThat(c.expiryAlerts().days()).containsExactly(30, 14, 7);
    }

    @Test
    void webhookAndDaysAreRead() throws Exception {
        PortcullisConfig c = load(dir,
                "expiry_alerts:",
                "  webhook: https://hooks.example.com/certs?team=ops",
                "  days: [3, 21, 10]",
                "sites: [{hosts: [localhost]}]");
        assertThat(c.expiryAlerts().webhook()).isEqualTo(URI.create("https://hooks.example.com/certs?team=ops"));
        assertThat(c.expiryAlerts().days()).isEqualTo(List.of(21, 10, 3));
    }

    @Test
    void badValuesAreLocated() {
        assertThat(problems(dir,
                "expiry_alerts:",
                "  webhook: ftp://hooks.example.com/x",
                "  days: [30, 0, soon]",
                "  dayz: 1",
                "sites: [{hosts: [localhost]}]")).containsExactly(
                "test.yaml:2:12: expiry_alerts.webhook: ftp://hooks.example.com/x (expected: an http or https URL "
                        + "that accepts a JSON POST)",
                "test.yaml:3:14: expiry_alerts.days[1]: 0 is out of range (expected: an integer from 1 to 365)",
                "test.yaml:3:17: expiry_alerts.days[2]: soon (expected: an integer from 1 to 365)",
                "test.yaml:4:3: expiry_alerts.dayz: unknown key, did you mean days? (expected: one of webhook, days)");
    }
}
