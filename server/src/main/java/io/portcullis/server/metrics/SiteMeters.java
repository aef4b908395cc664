package io.portcullis.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portcullis.server.http.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The request meters of one site, registered once when the site is compiled so that a finished request costs two
 * array reads and three adder increments: no tag lookups on the hot path.
 */
public final class SiteMeters {
    /** Status classes 1xx to 5xx, plus "none" for a request that ended before any response head was sent. */
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    /**
     * Bucket bounds of the latency histogram: a fixed ladder keeps its cost and the exported series constant, unlike
     * a percentile histogram's ~70 buckets per site.
     */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Counter[][] requests;
    private final Timer duration;
    private final Counter bytesSent;
    private final List<Meter> all = new ArrayList<>();

    SiteMeters(MeterRegistry registry, String site) {
        Protocol[] protocols = Protocol.values();
        requests = new Counter[protocols.length][STATUS_CLASSES.length];
        for (Protocol p : protocols) {
            for (int c = 0; c < STATUS_CLASSES.length; c++) {
                requests[p.ordinal()][c] = keep(Counter.builder("portcullis.requests")
                        .description("Requests answered, by site, protocol and status class")
                        .tags("site", site, "protocol", tagOf(p), "status", STATUS_CLASSES[c])
                        .register(registry));
            }
        }
        duration = keep(Timer.builder("portcullis.request.duration")
                .description("Time from request head to the end of the response")
                .tags("site", site)
                .serviceLevelObjectives(BUCKETS)
                .register(registry));
        bytesSent = keep(Counter.builder("portcullis.response.body")
                .description("Response body bytes sent")
                .baseUnit("bytes")
                .tags("site", site)
                .register(registry));
    }

    /** The short protocol name used as a tag: h1, h2, h3. */
    public static String tagOf(Protocol p) {
        return switch (p) {
            case HTTP_1_1 -> "h1";
            case HTTP_2 -> "h2";
            case HTTP_3 -> "h3";
        };
    }

    private <M extends Meter> M keep(M meter) {
        all.add(meter);
        return meter;
    }

    /** A finished request: its status (0 when none was sent), its duration and the body bytes sent. */
    public void record(Protocol protocol, int status, long nanos, long bodyBytes) {
        int c = status >= 100 && status < 600 ? status / 100 : 0;
        requests[protocol.ordinal()][c].increment();
        duration.record(nanos, TimeUnit.NANOSECONDS);
        if (bodyBytes > 0) {
            bytesSent.increment(bodyBytes);
        }
    }

    void removeFrom(MeterRegistry registry) {
        all.forEach(registry::remove);
    }
}
