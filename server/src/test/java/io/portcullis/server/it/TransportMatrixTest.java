package io.portcullis.server.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.transport.Transport;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawHttpsClient;
import io.portcullis.server.testing.RawResponse;
import io.portcullis.server.testing.Trust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same server on every socket transport: epoll, io_uring (where the kernel allows it) and NIO, each with the
 * event loop polling before it sleeps ({@code busy_poll}) and without (the default); what {@code auto} picks; and
 * connections that close right after the handshake.
 */
class TransportMatrixTest {
    @ParameterizedTest
    @CsvSource({"EPOLL, 50us", "EPOLL, 0", "IO_URING, 50us", "NIO, 50us", "NIO, 0"})
    void servesOnEachTransport(Transport transport, String busyPoll) throws Exception {
        assumeTrue(transport.isAvailable(), () -> transport + " unavailable here: " + transport.unavailabilityCause());
        servesOn(transportField(transport), busyPoll, transport);
    }

    /** {@code auto}: io_uring where the kernel allows it, except with busy polling, which only epoll and NIO have. */
    @ParameterizedTest
    @CsvSource({"0", "50us"})
    void autoTakesIoUringUnlessBusyPolling(String busyPoll) throws Exception {
        assumeTrue(Transport.EPOLL.isAvailable(), () -> "epoll unavailable: " + Transport.EPOLL.unavailabilityCause());
        boolean polling = !busyPoll.equals("0");
        servesOn("", busyPoll, !polling && Transport.IO_URING.isAvailable() ? Transport.IO_URING : Transport.EPOLL);
    }

    /**
     * Clients that complete a full handshake and close at once, four at a time for two seconds ({@code openssl s_time
     * -new}, as the benchmark's handshake workload does): every one of their connections must be closed on the server
     * too. On Netty 4.2.18's io_uring transport with its multishot polls (the default that {@link Transport} turns
     * off) a freshly started server left 928 of 2,946 open, sockets never read again nor closed.
     */
    @ParameterizedTest
    @CsvSource({"IO_URING", "EPOLL", "NIO"})
    void connectionsClosedRightAfterTheHandshakeAreReleased(Transport transport) throws Exception {
        assumeTrue(transport.isAvailable(), () -> transport + " unavailable here: " + transport.unavailabilityCause());
        PortcullisServer server = start(transportField(transport), "0", transport);
        try {
            List<Process> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clients.add(new ProcessBuilder("openssl", "s_time", "-new", "-connect",
                        "127.0.0.1:" + server.httpsPort(), "-time", "2").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            for (Process p : clients) {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(server.openConnections()).as("connections still open on the server").isZero();
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /**
     * Connections that the server closes itself must close on every transport: after a failed handshake (plain HTTP
     * sent to the TLS port) and after a response to {@code Connection: close}. With io_uring's single-shot polls a
     * read asked for while such a close waited for its write armed a poll that held the socket open for good
     * ({@link io.portcullis.server.transport.NoReadAfterClose}).
     */
    @ParameterizedTest
    @CsvSource({"IO_URING", "EPOLL", "NIO"})
    void connectionsTheServerClosesAreClosed(Transport transport) throws Exception {
        assumeTrue(transport.isAvailable(), () -> transport + " unavailable here: " + transport.unavailabilityCause());
        PortcullisServer server = start(transportField(transport), "0", transport);
        try {
            SSLContext ctx = Trust.localCa(server.certs().localCaRoot());
            for (int i = 0; i < 20; i++) {
                try (RawConnection c = RawConnection.plain(server.httpsPort()).timeoutMillis(5000)) {
                    c.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    assertThat(new String(c.readToEnd(), US_ASCII)).as("plain HTTP to the TLS port, connection %d", i)
                            .doesNotContain("200");
                }
                try (RawHttpsClient c = RawHttpsClient.connect(ctx, server.httpsPort(), "localhost")) {
                    c.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                    assertThat(c.readResponse().status()).isEqualTo(200);
                    c.setTimeoutMillis(5000);
                    assertThat(c.isClosedByPeer()).as("Connection: close, connection %d", i).isTrue();
                }
            }
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /**
     * Starts a server whose {@code server} section is {@code {<transportField>workers: 1, busy_poll: <busyPoll>}},
     * checks that it runs on {@code expected}, and that it answers three requests on one connection.
     */
    private static void servesOn(String transportField, String busyPoll, Transport expected) throws Exception {
        PortcullisServer server = start(transportField, busyPoll, expected);
        try {
            SSLContext ctx = Trust.localCa(server.certs().localCaRoot());
            try (RawHttpsClient c = RawHttpsClient.connect(ctx, server.httpsPort(), "localhost")) {
                for (int i = 0; i < 3; i++) { // the later requests find the loop polling or asleep after the first
                    c.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    RawResponse r = c.readResponse();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("via " + expected);
                }
            }
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** The {@code server} section's field naming {@code transport}, as {@link #start} splices it in. */
    private static String transportField(Transport transport) {
        return "transport: " + transport.name().toLowerCase(Locale.ROOT) + ", ";
    }

    /** A server whose {@code server} section is {@code {<transportField>workers: 1, busy_poll: <busyPoll>}}. */
    private static PortcullisServer start(String transportField, String busyPoll, Transport expected)
            throws Exception {
        Path dir = Files.createTempDirectory("transport-");
        String yaml = """
                data_dir: "%s"
                access_log: {output: "off"}
                server: {%sworkers: 1, busy_poll: %s}
                listeners:
                  https: {address: 127.0.0.1, port: 0}
                  http: {address: 127.0.0.1, port: 0}
                sites:
                  - hosts: [localhost]
                    routes: [{respond: "via %s"}]
                """.formatted(dir, transportField, busyPoll, expected);
        PortcullisConfig config = ConfigLoader.loadString(yaml, "t.yaml", dir);
        PortcullisServer server = PortcullisServer.start(config);
        if (server.transport() != expected) {
            server.stop(Duration.ZERO);
            assertThat(server.transport()).isEqualTo(expected);
        }
        return server;
    }
}
