package io.portcullis.cli;

import io.portcullis.config.ConfigException;
import io.portcullis.config.DurationFormat;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.guard.ban.Ban;
import io.portcullis.server.guard.ban.BanFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis ban list|add|remove}: edits the ban list in the data dir ({@code bans.txt}). A running server
 * re-reads that file within two seconds of a change, so no admin endpoint or signal is needed.
 */
@Command(name = "ban", description = "List, add or remove banned client addresses (data_dir/bans.txt; a running "
        + "server picks up changes within 2 s).")
final class BanCommand implements Callable<Integer> {
    static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "list, add or remove")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ADDRESS", description = "an IPv4 or IPv6 address")
    String address;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the config whose data_dir holds the list")
    Path config;

    @Option(names = "--for", paramLabel = "DURATION", defaultValue = "1d", description = "ban length (default 1d)")
    String duration;

    @Option(names = "--reason", defaultValue = "manual", description = "noted in the list")
    String reason;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PortcullisConfig cfg;
        try {
            cfg = ConfigSource.load(config);
        } catch (ConfigException e) {
            ConfigSource.printProblems(e, err);
            return ExitCodes.INVALID_CONFIG;
        }
        Path file = BanFile.in(cfg.dataDir());
        try {
            List<Ban> bans = new ArrayList<>(BanFile.read(file));
            Instant now = Instant.now();
            switch (action) {
                case "list" -> {
                    for (Ban b : bans) {
                        if (b.activeAt(now)) {
                            out.printf("%s until %s (strike %d): %s%n", b.address(), b.until(), b.strikes(),
                                    b.reason());
                        }
                    }
                }
                case "add", "remove" -> {
                    String ip = canonical(address);
                    if (ip == null) {
                        err.println("ban " + action + ": " + address + " (expected: an IPv4 or IPv6 address)");
                        return FAILED;
                    }
                    Ban old = bans.stream().filter(b -> b.address().equals(ip)).findFirst().orElse(null);
                    bans.removeIf(b -> b.address().equals(ip));
                    if (action.equals("add")) {
                        Duration d = DurationFormat.parse(duration);
                        bans.add(new Ban(ip, now.plus(d), old == null ? 1 : old.strikes() + 1, reason));
                        out.printf("banned %s for %s%n", ip, DurationFormat.format(d));
                    } else {
                        out.printf(old == null ? "%s was not banned%n" : "unbanned %s%n", ip);
                    }
                    BanFile.write(file, bans);
                }
                default -> {
                    err.println("ban: " + action + " (expected: list, add or remove)");
                    return FAILED;
                }
            }
        } catch (IOException e) {
            err.println("ban: " + file + ": " + e.getMessage());
            return FAILED;
        } catch (IllegalArgumentException e) {
            err.println("ban: --for " + duration + ": " + e.getMessage() + " (expected: " + DurationFormat.EXPECTED
                    + ")");
            return FAILED;
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The address as the server prints it, or null when it is not an IP literal (never resolved by DNS). */
    private static String canonical(String text) {
        if (text == null) {
            return null;
        }
        try {
            io.portcullis.config.Cidr c = io.portcullis.config.Cidr.parse(text);
            if (c.prefix() != c.network().length * 8) {
                return null;
            }
            return InetAddress.getByAddress(c.network()).getHostAddress();
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
