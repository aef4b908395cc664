package io.portcullis.cli;

import io.portcullis.config.ConfigException;
import io.portcullis.config.PortcullisConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code portcullis validate FILE}: checks a config without starting anything. */
@Command(name = "validate", description = "Check a config file; print file:line:col for every problem.")
final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML config to check")
    Path file;

    @Override
    public Integer call() {
        try {
            PortcullisConfig config = ConfigSource.load(file);
            spec.commandLine().getOut().printf("%s: OK (%d site%s)%n", file, config.sites().size(),
                    config.sites().size() == 1 ? "" : "s");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (ConfigException e) {
            ConfigSource.printProblems(e, spec.commandLine().getErr());
            return ExitCodes.INVALID_CONFIG;
        }
    }
}
