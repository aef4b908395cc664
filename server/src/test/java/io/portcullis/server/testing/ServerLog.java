package io.portcullis.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Captures the server's log while open. slf4j-simple writes to whatever {@code System.err} is at the time, so this
 * swaps in a stream that keeps a copy and still passes everything on (the output stays in the test report). Tests in
 * the same JVM share System.err: filter lines by the host names the test uses.
 */
public final class ServerLog implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private ServerLog() {
        System.setErr(new PrintStream(new TeeStream(captured, original), true, StandardCharsets.UTF_8));
    }

    public static ServerLog capture() {
        return new ServerLog();
    }

    /** Everything logged since {@link #capture()}. */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    public List<String> lines(Predicate<String> filter) {
        return text().lines().filter(filter).toList();
    }

    /** Waits until a logged line matches; returns it, or fails with the log so far. */
    public String await(Predicate<String> line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> found = lines(line);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such log line within " + timeout.toSeconds() + " s; log:\n" + text());
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    private static final class TeeStream extends OutputStream {
        private final ByteArrayOutputStream copy;
        private final OutputStream out;

        TeeStream(ByteArrayOutputStream copy, OutputStream out) {
            this.copy = copy;
            this.out = out;
        }

        @Override
        public void write(int c) throws IOException {
            synchronized (copy) {
                copy.write(c);
            }
            out.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            synchronized (copy) {
                copy.write(buf, off, len);
            }
            out.write(buf, off, len);
        }
    }
}
