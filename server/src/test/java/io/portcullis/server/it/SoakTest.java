package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawH2;
import io.portcullis.server.testing.WellBehavedClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 60 s of legitimate HTTP/1.1 and HTTP/2 requests (JDK HttpClient) mixed with slowloris connections, HTTP/2 rapid
 * reset bursts, request smuggling attempts and rate-limit hammering, all at once. Every legitimate request must
 * succeed, and the heap used after GC must stay bounded (under twice the warmed-up baseline plus 64 MiB).
 */
@Tag("slow")
class SoakTest {
    private static final Duration RUN = Duration.ofSeconds(60);

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            limits: {header_timeout: 2s, idle_timeout: 5s}
            sites:
              - hosts: [localhost]
                routes:
                  - {path: /limited, rate_limit: {rate: 5/s, burst: 5}, respond: "limited"}
                  - respond: "ok"
            """);

    private volatile boolean running = true;
    private final AtomicLong slowlorisClosed = new AtomicLong();
    private final AtomicLong rapidResetCutOff = new AtomicLong();
    private final AtomicLong smugglingRefused = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final List<String> attackerSurprises = new ArrayList<>();

    private static long heapUsedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private Thread attacker(String name, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            while (running) {
                try {
                    body.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the server cutting an attacker off is the expected outcome; keep attacking
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** 20 connections that send a header byte a second and never finish; the header timeout closes them. */
    private void slowloris() throws Exception {
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RawConnection c = RawConnection.tls(server);
                c.write("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
                open.add(c);
            }
            for (int second = 0; second < 5 && running; second++) {
                Thread.sleep(1000);
                for (RawConnection c : open) {
                    try {
                        c.write("x");
                    } catch (IOException e) {
                        slowlorisClosed.incrementAndGet();
                    }
                }
            }
        } finally {
            for (RawConnection c : open) {
                c.close();
            }
        }
    }

    /** A burst of HEADERS + RST_STREAM pairs on one connection until the server cuts it off, then a pause. */
    private void rapidReset() throws Exception {
        try (SSLSocket s = RawH2.connect(server, new byte[0])) {
            Thread drain = new Thread(() -> {
                try {
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // closed
                }
            });
            drain.setDaemon(true);
            drain.start();
            DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
            OutputStream out = s.getOutputStream();
            try {
                for (int i = 0; i < 5000 && running; i++) {
                    int stream = 1 + 2 * i;
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    b.writeBytes(RawH2.frame(RawH2.HEADERS, 0x5, stream, RawH2.get(encoder, stream, "/")));
                    b.writeBytes(RawH2.frame(RawH2.RST_STREAM, 0, stream, new byte[]{0, 0, 0, 8}));
                    out.write(b.toByteArray());
                }
            } catch (IOException e) {
                rapidResetCutOff.incrementAndGet();
            }
            drain.join(5000);
        }
        Thread.sleep(500);
    }

    /** CL.TE and TE.CL smuggling attempts: each must get 400 and a closed connection. */
    private void smuggle() throws Exception {
        String chunked = "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String[] attempts = {
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + chunked.length()
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked,
            "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: xchunked\r\n\r\n" + chunked,
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        };
        for (String attempt : attempts) {
            try (RawConnection c = RawConnection.tls(server)) {
                c.write(attempt);
                int status = c.readResponse().status();
                if (status == 400) {
                    smugglingRefused.incrementAndGet();
                } else {
                    surprise("smuggling attempt answered " + status);
                }
            }
        }
        Thread.sleep(200);
    }

    private final HttpClient hammer = HttpClient.newBuilder().sslContext(sslContext()).build();

    private static javax.net.ssl.SSLContext sslContext() {
        try {
            return server.sslContext();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void hammerRateLimit() throws Exception {
        HttpResponse<String> r = hammer.send(HttpRequest.newBuilder(server.uri("/limited")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 429) {
            rateLimited.incrementAndGet();
        } else if (r.statusCode() != 200) {
            surprise("rate-limited route answered " + r.statusCode());
        }
        Thread.sleep(5);
    }

    private synchronized void surprise(String what) {
        attackerSurprises.add(what);
    }

    @Test
    void legitimateTrafficSurvivesAMinuteOfMixedAttacksWithBoundedHeap() throws Exception {
        WellBehavedClient warmup = WellBehavedClient.start(server, "/", 200);
        Thread.sleep(3000);
        warmup.stopAndAssertHealthy();
        long baseline = heapUsedAfterGc();

        WellBehavedClient legit1 = WellBehavedClient.start(server, "/", 200);
        WellBehavedClient legit2 = WellBehavedClient.start(server, "/", 200);
        List<Thread> attackers = List.of(
                attacker("slowloris", this::slowloris),
                attacker("rapid-reset", this::rapidReset),
                attacker("smuggler", this::smuggle),
                attacker("hammer", this::hammerRateLimit));
        Thread.sleep(RUN.toMillis());
        running = false;
        for (Thread t : attackers) {
            t.interrupt();
            t.join(15_000);
        }
        legit1.stopAndAssertHealthy();
        legit2.stopAndAssertHealthy();
        assertThat(legit1.successes() + legit2.successes()).as("legitimate requests served").isGreaterThan(200);

        assertThat(slowlorisClosed.get()).as("slowloris connections closed by the header timeout").isPositive();
        assertThat(rapidResetCutOff.get()).as("rapid-reset connections cut off").isPositive();
        assertThat(smugglingRefused.get()).as("smuggling attempts refused").isPositive();
        assertThat(rateLimited.get()).as("rate-limited requests").isPositive();
        synchronized (this) {
            assertThat(attackerSurprises).isEmpty();
        }

        long after = heapUsedAfterGc();
        assertThat(after).as("heap after GC: baseline %d MiB, after %d MiB", baseline >> 20, after >> 20)
                .isLessThan(2 * baseline + 64L * 1024 * 1024);
        System.out.printf("soak: %d legitimate requests, slowloris closed %d, rapid reset cut %d, smuggling refused"
                + " %d, rate limited %d; heap after GC %d MiB (baseline %d MiB)%n",
                legit1.successes() + legit2.successes(), slowlorisClosed.get(), rapidResetCutOff.get(),
                smugglingRefused.get(), rateLimited.get(), after >> 20, baseline >> 20);
    }
}
