package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void validConfigExitsZero() throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, """
                sites:
                  - hosts: [example.com]
                    routes:
                      - respond: "hi"
                """);
        Run r = run("validate", file.toString());
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
        Run r = run("validate", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(file + ":2:16: ").contains("expected:");
        assertThat(r.err()).contains(file + ":7:27: ");
        assertThat(r.err().lines().count()).isEqualTo(2);
    }

    @Test
    void yamlSyntaxErrorExitsTwo() throws Exception {
        Path file = dir.resolve("syntax.yaml");
        Files.writeString(file, "sites:\n  - hosts: [a\n");
        Run r = run("validate", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(file + ":");
    }

    @Test
    void runRefusesAnInvalidConfigWithExitTwoAndStartsNothing() throws Exception {
        Path file = dir.resolve("bad-run.yaml");
        Files.writeString(file, "listeners:\n  https: {port: 70000}\nsites: []\n");
        Run r = run("run", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(file + ":2:");
    }

    @Test
    void embeddedDefaultIsAValidConfig() throws Exception {
        Path file = dir.resolve("default.yaml");
        Files.writeString(file, ConfigSource.embeddedDefault());
        assertThat(run("validate", file.toString()).exit()).isZero();
    }
}
