package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.guard.ban.Ban;
import io.portcullis.server.guard.ban.BanFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis ban} edits data_dir/bans.txt, the file a running server re-reads (see BanTest in server). */
class BanCommandTest {
    @TempDir
    Path dir;

    @Test
    void addListRemove() throws Exception {
        Path config = dir.resolve("p.yaml");
        Files.writeString(config, "data_dir: data\nsites: [{hosts: [a.test], routes: [{respond: hi}]}]\n");
        CliRun add = CliRun.of("ban", "add", "2001:DB8::7", "--for", "2h", "--reason", "scanner", "-c", config.toString());
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("banned 2001:db8:0:0:0:0:0:7 for 2h");
        Ban b = BanFile.read(dir.resolve("data").resolve("bans.txt")).get(0);
        assertThat(b.reason()).isEqualTo("scanner");
        assertThat(Duration.between(Instant.now(), b.until())).isBetween(Duration.ofMinutes(119),
                Duration.ofMinutes(121));

        assertThat(CliRun.of("ban", "list", "-c", config.toString()).out()).contains("2001:db8:0:0:0:0:0:7 until ");
        assertThat(CliRun.of("ban", "remove", "2001:db8::7", "-c", config.toString()).out()).contains("unbanned");
        assertThat(CliRun.of("ban", "list", "-c", config.toString()).out()).isEmpty();
    }

    @Test
    void refusesWhatIsNotAnAddress() throws Exception {
        Path config = dir.resolve("p.yaml");
        Files.writeString(config, "data_dir: data\nsites: [{hosts: [a.test], routes: [{respond: hi}]}]\n");
        CliRun r = CliRun.of("ban", "add", "example.com", "-c", config.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("expected: an IPv4 or IPv6 address");
        assertThat(CliRun.of("ban", "add", "10.0.0.0/8", "-c", config.toString()).exit()).isEqualTo(1);
        assertThat(CliRun.of("ban", "frobnicate", "-c", config.toString()).exit()).isEqualTo(1);
    }
}
