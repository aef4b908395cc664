package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuicSectionTest {
    @TempDir
    Path dir;

    @Test
    void http3IsOnWithDocumentedDefaults() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString("sites: [{hosts: [a.test]}]\n", "t.yaml", dir);
        assertThat(c.quic()).isEqualTo(QuicConfig.defaults());
        assertThat(c.quic().enabled()).isTrue();
        assertThat(c.quic().altSvc()).isTrue();
        assertThat(c.quic().initialMaxData()).isEqualTo(10L * 1024 * 1024);
        assertThat(c.quic().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.quic().addressValidation()).isEqualTo(QuicConfig.AddressValidation.AUTO);
        assertThat(c.quic().earlyData()).as("0-RTT is opt-in").isFalse();
        assertThat(c.quic().retryThreshold()).isEqualTo(64);
    }

    @Test
    void readsEverySetting() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString("""
                listeners:
                  https: {port: 8443, http3: false}
                quic:
                  initial_max_data: 2MiB
                  initial_max_stream_data: 256KiB
                  max_concurrent_streams: 10
                  idle_timeout: 5s
                  address_validation: always
                  udp_receive_buffer: 1MiB
                  udp_send_buffer: 512KiB
                  alt_svc: false
                  early_data: true
                  retry_threshold: 5
                sites: [{hosts: [a.test]}]
                """, "t.yaml", dir);
        assertThat(c.quic()).isEqualTo(new QuicConfig(false, 2L * 1024 * 1024, 256 * 1024, 10,
                Duration.ofSeconds(5), QuicConfig.AddressValidation.ALWAYS, 1024 * 1024, 512 * 1024, false, true, 5));
        assertThat(c.listeners().https().port()).isEqualTo(8443);
    }

    @Test
    void problemsCarryTheirLocation() {
        assertThatThrownBy(() -> ConfigLoader.loadString(
                "quic:\n  address_validation: sometimes\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.yaml:2:23: quic.address_validation: sometimes")
                .hasMessageContaining("auto, always or off");
        assertThatThrownBy(() -> ConfigLoader.loadString(
                "quic:\n  early_data: sometimes\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.yaml:2:15: quic.early_data: sometimes");
        assertThatThrownBy(() -> ConfigLoader.loadString(
                "quic:\n  early_date: true\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.yaml:2:3")
                .hasMessageContaining("did you mean early_data");
        assertThatThrownBy(() -> ConfigLoader.loadString(
                "quic:\n  retry_threshold: -1\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.yaml:2:20: quic.retry_threshold: -1")
                .hasMessageContaining("0 to 1000000");
        assertThatThrownBy(() -> ConfigLoader.loadString(
                "listeners:\n  http: {http3: true}\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http3");
    }
}
