package io.portcullis.server.log;

import io.portcullis.config.AccessLogConfig;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access log lines on its own thread so that a slow disk or a blocked stdout never stalls an event loop. The
 * queue is bounded; when it is full, entries are dropped and counted (a WARN says how many) rather than letting memory
 * grow or requests wait.
 */
public final class AccessLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final int QUEUE_CAPACITY = 65_536;
    private static final AccessLogEntry POISON = new AccessLogEntry(0, null, null, null, null, null, 0, 0, 0, null,
            null, null, null, null, java.util.Map.of());

    private final BlockingQueue<AccessLogEntry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AccessLogFormat format;
    private final Writer writer;
    private final Thread thread;

    private AccessLog(AccessLogFormat format, Writer writer) {
        this.format = format;
        this.writer = writer;
        this.thread = new Thread(this::run, "portcullis-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /** The configured log, or {@code null} when it is off. */
    public static AccessLog open(AccessLogConfig config) throws IOException {
        if (!config.enabled()) {
            return null;
        }
        AccessLogFormat format = config.format() == AccessLogConfig.Format.COMBINED
                ? new CombinedLogFormat() : new JsonAccessLogFormat();
        OutputStream out;
        if ("stdout".equals(config.output())) {
            out = new FileOutputStream(java.io.FileDescriptor.out);
        } else {
            Path path = Path.of(config.output());
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            out = new FileOutputStream(path.toFile(), true);
        }
        return new AccessLog(format, new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024));
    }

    /** Called on event loops; never blocks. */
    public void log(AccessLogEntry entry) {
        if (!queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    private void run() {
        StringBuilder line = new StringBuilder(512);
        try {
            while (true) {
                AccessLogEntry entry = queue.poll(1, TimeUnit.SECONDS);
                if (entry == null) {
                    reportDropped();
                    continue;
                }
                if (entry == POISON) {
                    break;
                }
                line.setLength(0);
                format.format(entry, line);
                line.append('\n');
                writer.write(line.toString());
                if (queue.isEmpty()) {
                    writer.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.error("access log write failed; access logging stopped: {}", e.toString());
        } finally {
            try {
                writer.flush();
            } catch (IOException ignored) {
                // nothing more can be done about a broken log stream
            }
        }
    }

    private void reportDropped() {
        long n = dropped.getAndSet(0);
        if (n > 0) {
            LOG.warn("access log could not keep up: {} entries dropped", n);
        }
    }

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() {
        try {
            queue.put(POISON);
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
