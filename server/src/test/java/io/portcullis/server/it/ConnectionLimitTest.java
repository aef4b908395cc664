package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawHttpsClient;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code limits.max_connections_per_address}: the connection beyond the limit is closed at accept. */
class ConnectionLimitTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            limits: {max_connections_per_address: 3}
            sites: [{hosts: [localhost], routes: [{respond: "hi"}]}]
            """);

    @Test
    void fourthConnectionIsClosedAndASlotFreesOnClose() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            // Completed handshakes: the server has surely counted these before the fourth arrives (accepted
            // connections are activated on different event loops, so bare connects could be counted out of order).
            for (int i = 0; i < 3; i++) {
                held.add(RawHttpsClient.connect(server, "localhost").socket());
            }
            try (Socket fourth = new Socket("127.0.0.1", server.httpsPort())) {
                assertThat(RawConnection.closedByServer(fourth)).as(() -> {
                    try {
                        return java.nio.file.Files.readString(server.dir().resolve("data/audit.log"));
                    } catch (IOException e) {
                        return e.toString();
                    }
                }).isTrue();
            }
            assertThat(RawConnection.closedByServer(held.get(0))).as("held connections stay open").isFalse();
            held.remove(0).close();
            Thread.sleep(200); // the server sees the close asynchronously
            assertThat(RawHttpsClient.get(server, "localhost", "/").body()).isEqualTo("hi");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
