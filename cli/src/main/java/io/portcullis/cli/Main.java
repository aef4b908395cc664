package io.portcullis.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code portcullis}: the one entry point; each verb is its own command class. */
@Command(name = "portcullis", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "A front door for port 443: HTTPS done right.")
public final class Main implements Runnable {
    private static final List<Class<?>> VERBS = List.of(RunCommand.class, ValidateCommand.class, ScanCommand.class,
            CertCommand.class, TrustCommand.Install.class, TrustCommand.Uninstall.class, BanCommand.class,
            HashPasswordCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StartupTuning.apply();
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return commandLine(args).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    /**
     * The command tree for these arguments. Picocli reflects over every option of every verb it is given, which for
     * the whole tree is a fifth of the server's time to its first response, so {@code run} gets only its own verb.
     */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        boolean run = args.length > 0 && args[0].equals("run");
        for (Class<?> verb : run ? List.of(RunCommand.class) : VERBS) {
            commandLine.addSubcommand(verb);
        }
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
