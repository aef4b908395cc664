package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSectionTest {
    @TempDir
    Path dir;

    @Test
    void defaultsToAutoTransportAndOneWorkerPerCore() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString("sites: [{hosts: [a.test]}]\n", "t.yaml", dir);
        assertThat(c.server()).isEqualTo(new ServerConfig(ServerConfig.Transport.AUTO, 0, Duration.ZERO));
    }

    @Test
    void readsTransportAndWorkers() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString(
                "server: {transport: io_uring, workers: 2}\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir);
        assertThat(c.server()).isEqualTo(new ServerConfig(ServerConfig.Transport.IO_URING, 2, ConfigDefaults.BUSY_POLL));
    }

    @Test
    void readsBusyPollInMicroseconds() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString(
                "server: {busy_poll: 35us}\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir);
        assertThat(c.server().busyPoll()).isEqualTo(Duration.ofNanos(35_000));
        PortcullisConfig ms = ConfigLoader.loadString(
                "server: {busy_poll: 1ms}\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir);
        assertThat(ms.server().busyPoll()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void rejectsBusyPollAboveAMillisecond() {
        assertThatThrownBy(() -> ConfigLoader.loadString(
                "server:\n  busy_poll: 5ms\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.yaml:2:14: server.busy_poll: 5ms is out of range")
                .hasMessageContaining("from 0s to 1ms");
    }

    @Test
    void rejectsUnknownTransportWithLocation() {
        assertThatThrownBy(() -> ConfigLoader.loadString(
                "server:\n  transport: kqueue\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.yaml:2:14: server.transport: kqueue")
                .hasMessageContaining("auto, epoll, io_uring or nio");
    }
}
