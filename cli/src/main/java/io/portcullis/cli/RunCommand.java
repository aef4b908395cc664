package io.portcullis.cli;

import io.portcullis.config.ConfigException;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.ServerStartException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis run [--config FILE]}: serves until SIGTERM/SIGINT, then stops gracefully within the configured
 * grace period; SIGHUP reloads the config file. Without a config file it serves the embedded default.
 */
@Command(name = "run", description = "Run the server (embedded default without --config).")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PortcullisConfig cfg;
        try {
            cfg = ConfigSource.load(config);
        } catch (ConfigException e) {
            ConfigSource.printProblems(e, err);
            return ExitCodes.INVALID_CONFIG;
        }
        PortcullisServer server;
        try {
            server = PortcullisServer.start(cfg);
        } catch (ServerStartException e) {
            err.println("portcullis: " + e.getMessage());
            err.flush();
            return ExitCodes.START_FAILED;
        }
        if (config != null) {
            ReloadOnHangup.install(server, config);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(cfg.limits().shutdownGrace());
            stopped.countDown();
        }, "portcullis-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        int port = server.httpsPort();
        out.printf("Portcullis is serving https://localhost%s/%n", port == 443 ? "" : ":" + port);
        if (config == null) {
            out.printf("Certificates come from the local CA; trust its root to avoid browser warnings: %s%n",
                    server.certs().localCaRoot());
        }
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
