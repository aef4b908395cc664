package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir
    Path dir;

    @Test
    void validConfigExitsZero() throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, """
                sites:
                  - hosts: [example.com]
                    routes:
                      - respond: "hi"
                """);
        CliRun r = CliRun.of("validate", file.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("OK (1 site)");
    }

    @Test
    void invalidConfigExitsTwoWithFileLineColumnForEveryProblem() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                tls:
                  min_version: TLSv1.0
                sites:
                  - hosts: [example.com]
                    routes:
                      - redirect: {to: "https://x", status: 302}
                      - respond: {status: 700}
                """);
        CliRun r = CliRun.of("validate", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(file + ":2:16: ").contains("expected:");
        assertThat(r.err()).contains(file + ":7:27: ");
        assertThat(r.err().lines().count()).isEqualTo(2);
    }

    @Test
    void yamlSyntaxErrorExitsTwo() throws Exception {
        Path file = dir.resolve("syntax.yaml");
        Files.writeString(file, "sites:\n  - hosts: [a\n");
        CliRun r = CliRun.of("validate", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(file + ":");
    }

    @Test
    void runRefusesAnInvalidConfigWithExitTwoAndStartsNothing() throws Exception {
        Path file = dir.resolve("bad-run.yaml");
        Files.writeString(file, "listeners:\n  https: {port: 70000}\nsites: []\n");
        CliRun r = CliRun.of("run", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(file + ":2:");
    }

    @Test
    void embeddedDefaultIsAValidConfig() throws Exception {
        Path file = dir.resolve("default.yaml");
        Files.writeString(file, ConfigSource.embeddedDefault());
        assertThat(CliRun.of("validate", file.toString()).exit()).isZero();
    }
}
