package io.portcullis.server.testing;

import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A well-behaved client that keeps fetching one path (HTTP/1.1 and HTTP/2 in turn, each on its own long-lived client)
 * in the background while a test class attacks the server, and records every answer that was not the expected status.
 * Test classes get one with {@link PortcullisExtension#withBystander}, which starts it with the server and calls
 * {@link #stopAndAssertHealthy()} before the server stops: that proves hostile clients never disturbed anyone else,
 * and that a normal request still succeeds at the end.
 */
public final class WellBehavedClient {
    private final PortcullisExtension server;
    private final String path;
    private final int expectedStatus;
    private final List<String> failures = new ArrayList<>();
    private final AtomicInteger successes = new AtomicInteger();
    private volatile boolean running = true;
    private final Thread thread;

    private WellBehavedClient(PortcullisExtension server, String path, int expectedStatus) {
        this.server = server;
        this.path = path;
        this.expectedStatus = expectedStatus;
        this.thread = new Thread(this::loop, "well-behaved-client");
        this.thread.setDaemon(true);
    }

    public static WellBehavedClient start(PortcullisExtension server, String path, int expectedStatus) {
        WellBehavedClient c = new WellBehavedClient(server, path, expectedStatus);
        c.thread.start();
        return c;
    }

    private void loop() {
        HttpClient h1;
        HttpClient h2;
        try {
            h1 = server.httpClient(Version.HTTP_1_1);
            h2 = server.httpClient(Version.HTTP_2);
        } catch (Exception e) {
            record("client setup: " + e);
            return;
        }
        int i = 0;
        while (running) {
            Version v = i++ % 2 == 0 ? Version.HTTP_1_1 : Version.HTTP_2;
            try {
                fetch(v == Version.HTTP_1_1 ? h1 : h2, v);
                Thread.sleep(75);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void fetch(HttpClient client, Version v) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == expectedStatus) {
                successes.incrementAndGet();
            } else {
                record(v + " status " + r.statusCode());
            }
        } catch (java.io.IOException e) {
            // A keep-alive connection the server closed at the very moment it was reused is not a failure of the
            // server (every client retries that); retry once on a fresh client connection.
            try {
                HttpResponse<String> r = server.httpClient(v).send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == expectedStatus) {
                    successes.incrementAndGet();
                } else {
                    record(v + " status " + r.statusCode() + " after " + e);
                }
            } catch (InterruptedException ie) {
                throw ie;
            } catch (Exception e2) {
                record(v + " " + e2);
            }
        }
    }

    private synchronized void record(String failure) {
        failures.add(failure);
    }

    public int successes() {
        return successes.get();
    }

    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops the loop; throws when any background request failed or none succeeded, or a last fresh request fails. */
    public void stopAndAssertHealthy() throws Exception {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        List<String> f = failures();
        if (!f.isEmpty()) {
            throw new AssertionError("well-behaved client was disturbed: " + f);
        }
        if (successes.get() == 0) {
            throw new AssertionError("well-behaved client got no answer at all");
        }
        for (Version v : Version.values()) {
            HttpResponse<String> r = server.httpClient(v).send(HttpRequest.newBuilder(server.uri(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expectedStatus) {
                throw new AssertionError("final " + v + " request got " + r.statusCode());
            }
        }
    }
}
