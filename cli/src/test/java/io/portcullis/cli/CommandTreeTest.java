package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command tree users see: every verb listed, help and version on every verb, {@code run} built alone. */
class CommandTreeTest {
    @Test
    void topLevelHelpListsEveryVerb() {
        CliRun r = CliRun.of("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("run", "validate", "scan", "cert", "trust", "untrust", "ban", "hash-password",
                "help");
    }

    @Test
    void everyVerbAnswersHelpAndVersion() {
        for (String verb : new String[] {"run", "validate", "scan", "ban", "hash-password", "trust"}) {
            CliRun help = CliRun.of(verb, "--help");
            assertThat(help.exit()).as(verb).isZero();
            assertThat(help.out()).as(verb).startsWith("Usage: portcullis " + verb);
            CliRun version = CliRun.of(verb, "-V");
            assertThat(version.exit()).as(verb).isZero();
            assertThat(version.out()).as(verb).startsWith("portcullis ");
        }
    }

    @Test
    void runIsBuiltWithoutTheOtherVerbs() {
        assertThat(Main.commandLine("run", "--config", "x.yaml").getSubcommands()).containsOnlyKeys("run");
        assertThat(Main.commandLine("scan", "example.com").getSubcommands()).containsKeys("run", "scan", "cert");
        assertThat(Main.commandLine().getSubcommands()).hasSize(9);
    }

    @Test
    void helpForRunStillWorksThroughTheHelpVerb() {
        CliRun r = CliRun.of("help", "run");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: portcullis run");
    }
}
