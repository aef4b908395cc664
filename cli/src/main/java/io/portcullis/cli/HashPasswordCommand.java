package io.portcullis.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis hash-password}: a bcrypt hash for {@code basic_auth.users}, password read without echo. */
@Command(name = "hash-password", description = "Print a bcrypt hash for basic_auth users; the password is read "
        + "from the terminal (no echo) or from standard input.")
final class HashPasswordCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cost", defaultValue = "12", description = "bcrypt cost, 10 to 16 (default 12)")
    int cost;

    @Override
    public Integer call() throws IOException {
        if (cost < 10 || cost > 16) {
            spec.commandLine().getErr().println("hash-password: --cost " + cost + " (expected: 10 to 16)");
            return 1;
        }
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("password: ");
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? null : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            spec.commandLine().getErr().println("hash-password: empty password (expected: a password on stdin)");
            return 1;
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        spec.commandLine().getOut().println(OpenBSDBCrypt.generate("2y", password, salt, cost));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
