package io.portcullis.server.http3;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class Http3ListenerTest {
    @Test
    void grantedBuffersGiveNoWarning() {
        assertThat(Http3Listener.cappedWarning("receive", 4 << 20, 8 << 20, "net.core.rmem_max")).isNull();
        assertThat(Http3Listener.cappedWarning("receive", 4 << 20, 4 << 20, "net.core.rmem_max")).isNull();
    }

    @Test
    void cappedBufferWarningNamesTheSysctlFix() {
        assertThat(Http3Listener.cappedWarning("receive", 4 << 20, 425984, "net.core.rmem_max"))
                .contains("425984 bytes, 4194304 asked for")
                .contains("sudo sysctl -w net.core.rmem_max=4194304");
    }

    @Test
    void addressValidationAlwaysStillServesAfterTheRetry() throws Exception {
        Path dir = Files.createTempDirectory("h3-retry-");
        PortcullisServer server = PortcullisServer.start(ConfigLoader.loadString("""
                data_dir: "%s"
                access_log: {output: "off"}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {enabled: false}
                quic:
                  address_validation: always
                sites: [{hosts: [localhost], routes: [{respond: validated}]}]
                """.formatted(dir), "t.yaml", dir));
        try (io.portcullis.server.testing.H3Client c = io.portcullis.server.testing.H3Client.connect(
                server.certs().localCaRoot(), "localhost", server.http3Port())) {
            assertThat(c.get("/").bodyText()).isEqualTo("validated");
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void bufferAboveTheKernelCapIsReducedAndTheServerStillServes() throws Exception {
        long rmemMax = Long.parseLong(Files.readString(Path.of("/proc/sys/net/core/rmem_max")).trim());
        int asked = 64 * 1024 * 1024;
        org.junit.jupiter.api.Assumptions.assumeTrue(rmemMax * 2 < asked, "net.core.rmem_max is above 32MiB here");
        Path dir = Files.createTempDirectory("h3-buf-");
        PortcullisServer server = PortcullisServer.start(ConfigLoader.loadString("""
                data_dir: "%s"
                access_log: {output: "off"}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {enabled: false}
                quic:
                  udp_receive_buffer: 64MiB
                sites: [{hosts: [localhost], routes: [{respond: ok}]}]
                """.formatted(dir), "t.yaml", dir));
        try {
            int[] buffers = server.http3().socketBuffers();
            // Root may exceed rmem_max with SO_RCVBUFFORCE, which Netty does not use: the cap applies here.
            assertThat(buffers[0]).isLessThan(asked);
            assertThat(Http3Listener.cappedWarning("receive", asked, buffers[0], "net.core.rmem_max")).isNotNull();
        } finally {
            server.stop(Duration.ZERO);
        }
    }
}
