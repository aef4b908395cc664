package io.portcullis.certs.alerts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link ExpiryAlert}s as JSON POSTs to the configured webhook. Asynchronous from end to end: {@link #send}
 * returns at once, each attempt has a timeout, and a failed attempt (no connection, timeout, a status other than 2xx)
 * is retried after each of the retry delays, then given up with a log line. The log warning for the alert is written
 * by the caller whatever happens here, so a dead webhook loses nothing but the POST.
 */
public final class ExpiryWebhook implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryWebhook.class);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Four attempts spread over about ten minutes: rides out a webhook receiver's restart, not an outage. */
    static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(8));

    private final HttpClient http;
    private final Duration timeout;
    private final List<Duration> retryDelays;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "expiry-webhook");
        t.setDaemon(true);
        return t;
    });

    public ExpiryWebhook() {
        this(TIMEOUT, RETRY_DELAYS);
    }

    ExpiryWebhook(Duration timeout, List<Duration> retryDelays) {
        this.timeout = timeout;
        this.retryDelays = List.copyOf(retryDelays);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Posts {@code alert} to {@code url} in the background. */
    public void send(URI url, ExpiryAlert alert) {
        attempt(url, alert, 0);
    }

    private void attempt(URI url, ExpiryAlert alert, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "portcullis-expiry-alerts")
                .POST(HttpRequest.BodyPublishers.ofString(alert.toJson())).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                LOG.info("expiry alert for {} ({} days left) posted to {}", alert.hosts(), alert.daysLeft(), url);
                return;
            }
            String why = error != null ? String.valueOf(error.getCause() != null ? error.getCause() : error)
                    : "HTTP " + response.statusCode();
            if (attempt < retryDelays.size()) {
                Duration delay = retryDelays.get(attempt);
                LOG.warn("expiry alert webhook {} for {} failed ({}); retrying in {}", url, alert.hosts(), why,
                        delay);
                try {
                    retries.schedule(() -> attempt(url, alert, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    LOG.warn("expiry alert webhook {} for {} not retried: shutting down", url, alert.hosts());
                }
            } else {
                LOG.error("expiry alert webhook {} for {} failed {} times, last: {}; giving up (the log warning "
                        + "stands)", url, alert.hosts(), attempt + 1, why);
            }
        });
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
