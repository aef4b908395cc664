package io.portcullis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code portcullis}: the one entry point; each verb is its own command class. */
@Command(name = "portcullis", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A front door for port 443: HTTPS done right.",
        subcommands = {RunCommand.class, ValidateCommand.class, ScanCommand.class, CertCommand.class,
                TrustCommand.Install.class, TrustCommand.Uninstall.class, BanCommand.class, HashPasswordCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
