package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.ConfigLoader;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.guard.ban.Ban;
import io.portcullis.server.guard.ban.BanFile;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawHttpsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Built-in fail2ban through the real server: a 404 burst bans the address at accept; the list survives a restart. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BanTest {
    private static final String SNIPPET = """
            bans:
              rules:
                - {on: [status_404], count: 3, within: 1m}
              duration: 3s
              max_duration: 1m
            sites: [{hosts: [localhost], routes: [{path: /ok, respond: "ok"}]}]
            """;

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(SNIPPET);

    /** True when the server closes the connection before answering (TLS never completes). */
    private static boolean refused(SSLContext ctx, int port) {
        try (RawHttpsClient c = RawHttpsClient.connect(ctx, port, "localhost")) {
            c.write("GET /ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            return c.readResponse().status() != 200;
        } catch (IOException e) {
            return true;
        }
    }

    private static Path banFile() {
        return BanFile.in(server.dir().resolve("data"));
    }

    private static void awaitRefused(boolean expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (refused(server.sslContext(), server.httpsPort()) != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(refused(server.sslContext(), server.httpsPort())).isEqualTo(expected);
    }

    @Test
    @Order(1)
    void burstOf404sBansAtAcceptAndTheBanSurvivesARestart() throws Exception {
        assertThat(refused(server.sslContext(), server.httpsPort())).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(RawHttpsClient.get(server, "localhost", "/missing-" + i).status()).isEqualTo(404);
        }
        awaitRefused(true, Duration.ofSeconds(1));
        // Persisted: a new server on the same data dir refuses the address from its first connection.
        awaitFile();
        List<Ban> bans = BanFile.read(banFile());
        assertThat(bans).singleElement().satisfies(b -> {
            assertThat(b.address()).isEqualTo("127.0.0.1");
            assertThat(b.strikes()).isEqualTo(1);
            assertThat(b.reason()).contains("status_404");
        });
        PortcullisServer second = PortcullisServer.start(ConfigLoader.loadString(server.fullYaml(SNIPPET),
                "second.yaml", server.dir()));
        try {
            assertThat(refused(server.sslContext(), second.httpsPort())).isTrue();
        } finally {
            second.stop(Duration.ofSeconds(1));
        }
        // The ban ends after its duration.
        awaitRefused(false, Duration.ofSeconds(6));
        assertThat(Files.readString(server.dir().resolve("data").resolve("audit.log")))
                .contains("\"event\":\"banned\"");
    }

    @Test
    @Order(2)
    void repeatBanIsLongerAndEditingTheFileReachesTheRunningServer() throws Exception {
        for (int i = 0; i < 3; i++) {
            RawHttpsClient.get(server, "localhost", "/missing-again-" + i);
        }
        awaitRefused(true, Duration.ofSeconds(1));
        Thread.sleep(300);
        Ban second = BanFile.read(banFile()).get(0);
        assertThat(second.strikes()).isEqualTo(2);
        assertThat(Duration.between(Instant.now(), second.until())).isBetween(Duration.ofSeconds(4),
                Duration.ofSeconds(6));
        // What portcullis ban remove does: rewrite the file; the server re-reads it within 2 s.
        BanFile.write(banFile(), List.of());
        awaitRefused(false, Duration.ofSeconds(4));
        // And ban add.
        BanFile.write(banFile(), List.of(new Ban("127.0.0.1", Instant.now().plusSeconds(60), 1, "manual")));
        awaitRefused(true, Duration.ofSeconds(4));
        BanFile.write(banFile(), List.of());
        awaitRefused(false, Duration.ofSeconds(4));
    }

    private static void awaitFile() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while ((!Files.exists(banFile()) || BanFile.read(banFile()).isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
