package io.portcullis.certs.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.config.SiteTlsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries and timeouts of the webhook against a real HTTP server on loopback that misbehaves on purpose. */
class ExpiryWebhookTest {
    private static final ExpiryAlert ALERT = new ExpiryAlert(List.of("a.example.com", "b.example.com"),
            Instant.parse("2026-06-08T00:00:00Z"), 6, 7, SiteTlsConfig.Source.FILES, "say \"hi\"\n", "1f");

    private HttpServer receiver;
    private final CountDownLatch hang = new CountDownLatch(1);

    @AfterEach
    void stop() {
        hang.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aFailingThenHangingReceiverGetsTheAlertOnTheThirdAttemptWithoutBlockingTheCaller() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            switch (attempts.incrementAndGet()) {
                case 1 -> ex.sendResponseHeaders(503, -1); // receiver restarting
                case 2 -> {
                    try {
                        hang.await(30, TimeUnit.SECONDS); // receiver stuck: the client's timeout must end it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> {
                    delivered.add(body);
                    ex.sendResponseHeaders(200, -1);
                }
            }
            ex.close();
        });
        receiver.start();
        try (ExpiryWebhook webhook = new ExpiryWebhook(Duration.ofMillis(800),
                List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100)))) {
            long before = System.nanoTime();
            webhook.send(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"), ALERT);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(500));

            String body = delivered.poll(10, TimeUnit.SECONDS);
            assertThat(body).isEqualTo("{\"host\":\"a.example.com\",\"hosts\":[\"a.example.com\",\"b.example.com\"],"
                    + "\"not_after\":\"2026-06-08T00:00:00Z\",\"days_left\":6,\"threshold_days\":7,\"source\":\"files\","
                    + "\"reason\":\"say \\\"hi\\\"\\n\",\"serial\":\"1f\"}");
            assertThat(attempts.get()).isEqualTo(3);
        }
    }

    @Test
    void givesUpAfterTheLastRetry() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            attempts.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        receiver.start();
        try (ExpiryWebhook webhook = new ExpiryWebhook(Duration.ofSeconds(2),
                List.of(Duration.ofMillis(50), Duration.ofMillis(50)))) {
            webhook.send(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/"), ALERT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (attempts.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(500);
            assertThat(attempts.get()).isEqualTo(3); // first attempt and two retries, then nothing more
        }
    }
}
