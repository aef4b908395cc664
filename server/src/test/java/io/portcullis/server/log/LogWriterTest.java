package io.portcullis.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogWriterTest {

    @Test
    void anIdleWriterSleepsUntilAnEntryComes() throws Exception {
        StringWriter out = new StringWriter();
        try (LogWriter<String> log = new LogWriter<>("idle-test log", (s, b) -> b.append(s), out, n -> { })) {
            log.log("one");
            Thread thread = writerThread("portcullis-idle-test-log");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!out.toString().equals("one\n") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(out.toString()).isEqualTo("one\n");
            // A timed wait would show as TIMED_WAITING: a wake-up on the event loops' cores every so often.
            while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
        }
    }

    @Test
    void entriesDroppedWhileTheQueueWasFullAreReportedOnceTheWriterCatchesUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong reported = new AtomicLong();
        CountDownLatch reportedOnce = new CountDownLatch(1);
        Writer blocked = new StringWriter() {
            @Override
            public void write(String s) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.write(s);
            }
        };
        try (LogWriter<String> log = new LogWriter<>("drop-test log", (s, b) -> b.append(s), blocked, n -> {
            reported.addAndGet(n);
            reportedOnce.countDown();
        })) {
            int offered = 70_000; // more than the queue holds, with one entry held by the blocked writer
            for (int i = 0; i < offered; i++) {
                log.log("x");
            }
            release.countDown();
            assertThat(reportedOnce.await(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long written;
            do {
                Thread.sleep(10);
                written = blocked.toString().length() / 2;
            } while (written + reported.get() < offered && System.nanoTime() < deadline);
            assertThat(reported.get()).isPositive();
            assertThat(written + reported.get()).isEqualTo(offered);
        }
    }

    private static Thread writerThread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
