package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSectionTest {
    @TempDir
    Path dir;

    @Test
    void defaultsToAutoTransportAndOneWorkerPerCore() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString("sites: [{hosts: [a.test]}]\n", "t.yaml", dir);
        assertThat(c.server()).isEqualTo(new ServerConfig(ServerConfig.Transport.AUTO, 0));
    }

    @Test
    void readsTransportAndWorkers() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString(
                "server: {transport: io_uring, workers: 2}\nsites: [{hosts: [a.test]}]\n", "t.yaml", dir);
        assertThat(c.server()).isEqualTo(new ServerConfig(ServerConfig.Transport.IO_URING, 2));
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
