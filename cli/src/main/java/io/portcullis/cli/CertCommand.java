package io.portcullis.cli;

import io.portcullis.certs.acme.AcmeFailure;
import io.portcullis.certs.acme.AcmeRevocation;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.ConfigException;
import io.portcullis.config.PortcullisConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis cert list|renew|revoke}: the certificate inventory and actions. {@code list} and {@code renew} ask
 * the running server through its loopback admin endpoint (the address comes from {@code --config}'s {@code admin:}
 * block, default 127.0.0.1:2019, or {@code --admin}); {@code revoke} works from the config and its storage directly.
 */
@Command(name = "cert", description = "Certificate inventory and actions.",
        subcommands = {CertCommand.ListCommand.class, CertCommand.RenewCommand.class,
                CertCommand.RevokeCommand.class})
final class CertCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the subcommands that talk to the running server. */
    static class AdminOptions {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the server's YAML config")
        Path config;

        @Option(names = "--admin", paramLabel = "HOST:PORT", description = "admin endpoint (default: from the "
                + "config, else 127.0.0.1:2019)")
        String admin;

        URI base() throws ConfigException {
            if (admin != null) {
                return URI.create("http://" + admin);
            }
            AdminConfig a = config == null ? AdminConfig.defaults() : ConfigSource.load(config).admin();
            String host = a.address().contains(":") ? "[" + a.address() + "]" : a.address();
            return URI.create("http://" + host + ":" + a.port());
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Command(name = "list", description = "Host, issuer, not-after, days left, next renewal and source of every "
            + "certificate the running server serves.")
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        AdminOptions options = new AdminOptions();

        @Option(names = "--json", description = "print the admin endpoint's JSON as it is")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HttpResponse<String> r;
            try {
                r = options.send(HttpRequest.newBuilder(options.base().resolve("/certs"))
                        .timeout(Duration.ofSeconds(10)));
            } catch (ConfigException e) {
                ConfigSource.printProblems(e, err);
                return ExitCodes.INVALID_CONFIG;
            } catch (IOException e) {
                err.println("portcullis: cannot reach the admin endpoint of a running server (" + e + ")");
                err.flush();
                return ExitCodes.START_FAILED;
            }
            if (json) {
                out.println(r.body());
            } else {
                CertTable.print(r.body(), out);
            }
            out.flush();
            return r.statusCode() == 200 ? ExitCodes.OK : ExitCodes.START_FAILED;
        }
    }

    @Command(name = "renew", description = "Renew HOST's ACME certificate now, through the running server.")
    static final class RenewCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        AdminOptions options = new AdminOptions();

        @Parameters(index = "0", paramLabel = "HOST")
        String host;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HttpResponse<String> r;
            try {
                URI uri = options.base().resolve("/certs/renew?host=" + URLEncoder.encode(host,
                        StandardCharsets.UTF_8));
                r = options.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(6))
                        .POST(HttpRequest.BodyPublishers.noBody()));
            } catch (ConfigException e) {
                ConfigSource.printProblems(e, err);
                return ExitCodes.INVALID_CONFIG;
            } catch (IOException e) {
                err.println("portcullis: cannot reach the admin endpoint of a running server (" + e + ")");
                err.flush();
                return ExitCodes.START_FAILED;
            }
            (r.statusCode() == 200 ? out : err).println(r.body());
            out.flush();
            err.flush();
            return r.statusCode() == 200 ? ExitCodes.OK : ExitCodes.START_FAILED;
        }
    }

    @Command(name = "revoke", description = "Revoke HOST's ACME certificate at the CA and drop it from storage "
            + "(a running server orders a new one at its next check).")
    static final class RevokeCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true, description = "the server's config")
        Path config;

        @Parameters(index = "0", paramLabel = "HOST")
        String host;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                PortcullisConfig c = ConfigSource.load(config);
                X509Certificate revoked = AcmeRevocation.revoke(c, host);
                out.printf("revoked %s (serial %s, issuer %s)%n", host, revoked.getSerialNumber().toString(16),
                        revoked.getIssuerX500Principal().getName());
                out.flush();
                return ExitCodes.OK;
            } catch (ConfigException e) {
                ConfigSource.printProblems(e, err);
                return ExitCodes.INVALID_CONFIG;
            } catch (IllegalArgumentException | AcmeFailure | IOException e) {
                err.println("portcullis: " + e.getMessage());
                err.flush();
                return ExitCodes.START_FAILED;
            }
        }
    }
}
