package io.portcullis.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external command (openssl, curl) with a timeout and captures stdout and stderr together. */
public final class Processes {
    private Processes() {
    }

    /** What a command printed and how it ended. */
    public record Result(int exitCode, String output, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + (timedOut ? " (timed out)" : "") + ":\n" + output;
        }
    }

    /** Runs {@code command} with stdin closed at once. */
    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        return run(timeout, null, command);
    }

    public static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, null, List.of(command));
    }

    /**
     * Runs {@code command}, writes {@code stdin} (may be null) to it and closes its stdin; kills it when it does not
     * end within {@code timeout}.
     */
    public static Result run(Duration timeout, String stdin, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // process killed
            }
        }, "process-output");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.ISO_8859_1));
            }
        } catch (IOException ignored) {
            // the process exited before reading its input
        }
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(5000);
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.ISO_8859_1);
        }
        return new Result(finished ? p.exitValue() : -1, text, !finished);
    }
}
