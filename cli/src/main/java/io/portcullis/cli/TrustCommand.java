package io.portcullis.cli;

import io.portcullis.certs.trust.TrustStoreInstaller;
import io.portcullis.config.ConfigException;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.tls.LocalCa;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis trust} and {@code portcullis untrust}: the local CA's root (of the config's {@code data_dir}, made
 * now if it does not exist yet) into or out of the system and Java trust stores.
 */
final class TrustCommand {
    private TrustCommand() {
    }

    @Command(name = "trust", description = "Install the local CA root into the system and Java trust stores.")
    static final class Install implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "config whose data_dir holds the CA")
        Path config;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                PortcullisConfig c = ConfigSource.load(config);
                LocalCa ca = LocalCa.open(c.dataDir().resolve("ca"));
                out.println("local CA root: " + ca.rootPemPath() + " ("
                        + ca.rootCertificate().getSubjectX500Principal().getName() + ")");
                return report(new TrustStoreInstaller().install(ca.rootPemPath()), out);
            } catch (ConfigException e) {
                ConfigSource.printProblems(e, err);
                return ExitCodes.INVALID_CONFIG;
            } catch (IOException e) {
                err.println("portcullis: " + e.getMessage());
                err.flush();
                return ExitCodes.START_FAILED;
            }
        }
    }

    @Command(name = "untrust", description = "Remove the local CA root from the system and Java trust stores.")
    static final class Uninstall implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return report(new TrustStoreInstaller().uninstall(), spec.commandLine().getOut());
        }
    }

    private static int report(List<TrustStoreInstaller.Step> steps, PrintWriter out) {
        steps.forEach(out::println);
        out.flush();
        return steps.stream().allMatch(TrustStoreInstaller.Step::ok) ? ExitCodes.OK : ExitCodes.START_FAILED;
    }
}
