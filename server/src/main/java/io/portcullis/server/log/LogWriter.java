package io.portcullis.server.log;

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes log lines on its own thread so that a slow disk or a blocked stdout never stalls an event loop. The queue is
 * bounded; when it is full, entries are dropped and counted (a WARN says how many) rather than letting memory grow or
 * requests wait. Shared by the access log and the audit log.
 *
 * <p>An idle writer sleeps until an entry comes: no timed wake-up, because the thread shares the event loops' cores
 * and each wake-up can put a millisecond in front of a waiting request. Entries are dropped only while the queue is
 * full, so the writer is at work then: it reports the drops when it has caught up, and once a second until it has.
 *
 * @param <T> the entry type, formatted into one line on the writer thread
 */
final class LogWriter<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    private static final int QUEUE_CAPACITY = 65_536;
    private static final Object POISON = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final String name;
    private final BiConsumer<T, StringBuilder> format;
    private final Writer writer;
    private final LongConsumer dropReport;
    private final Thread thread;
    private long lastDropReport;

    LogWriter(String name, BiConsumer<T, StringBuilder> format, Writer writer) {
        this(name, format, writer, n -> LOG.warn("{} could not keep up: {} entries dropped", name, n));
    }

    LogWriter(String name, BiConsumer<T, StringBuilder> format, Writer writer, LongConsumer dropReport) {
        this.name = name;
        this.format = format;
        this.writer = writer;
        this.dropReport = dropReport;
        this.thread = new Thread(this::run, "portcullis-" + name.replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
    }

    /** A buffered UTF-8 writer to {@code stdout} or a file (appended to; parent directories created). */
    static Writer open(String output) throws IOException {
        OutputStream out;
        if ("stdout".equals(output)) {
            out = new FileOutputStream(java.io.FileDescriptor.out);
        } else {
            Path path = Path.of(output);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            out = new FileOutputStream(path.toFile(), true);
        }
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }

    /** Called on event loops; never blocks. */
    void log(T entry) {
        if (!queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    @SuppressWarnings("unchecked")
    private void run() {
        StringBuilder line = new StringBuilder(512);
        try {
            while (true) {
                Object entry = queue.take();
                if (entry == POISON) {
                    break;
                }
                line.setLength(0);
                format.accept((T) entry, line);
                line.append('\n');
                writer.write(line.toString());
                boolean drained = queue.isEmpty();
                if (drained) {
                    writer.flush();
                }
                reportDropped(drained);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.error("{} write failed; {} stopped: {}", name, name, e.toString());
        } finally {
            try {
                writer.flush();
            } catch (IOException ignored) {
                // nothing more can be done about a broken log stream
            }
            reportDropped(true);
        }
    }

    private void reportDropped(boolean drained) {
        if (dropped.get() == 0) {
            return;
        }
        long now = System.nanoTime();
        if (drained || now - lastDropReport >= 1_000_000_000L) {
            lastDropReport = now;
            dropReport.accept(dropped.getAndSet(0));
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
