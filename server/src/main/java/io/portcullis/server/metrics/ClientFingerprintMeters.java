package io.portcullis.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections counted by the JA4 fingerprint of their ClientHello ({@code portcullis_tls_client_fingerprints_total}).
 *
 * <p>A fingerprint is chosen by the client, so anyone can mint new ones (one per cipher list they care to send). The
 * number of series is therefore capped: the first {@code maxSeries} distinct fingerprints seen by the process get a
 * series of their own, every later one is counted under {@code ja4="other"}. The cap holds for the life of the
 * process (these meters live in {@link Metrics}, which outlives reloads), so the registry cannot grow past it.
 */
public final class ClientFingerprintMeters {
    /** Series a process keeps at most, besides {@code other}. */
    public static final int DEFAULT_MAX_SERIES = 500;
    static final String OTHER = "other";
    private static final String NAME = "portcullis.tls.client.fingerprints";

    private final MeterRegistry registry;
    private final int maxSeries;
    private final ConcurrentHashMap<String, Counter> series = new ConcurrentHashMap<>();
    private volatile Counter other;

    ClientFingerprintMeters(MeterRegistry registry, int maxSeries) {
        this.registry = registry;
        this.maxSeries = maxSeries;
    }

    /** Counts one connection whose ClientHello had fingerprint {@code ja4}. */
    public void count(String ja4) {
        Counter c = series.get(ja4);
        (c != null ? c : admit(ja4)).increment();
    }

    /** Distinct fingerprints with a series of their own (at most {@code maxSeries}). */
    public int distinct() {
        return series.size();
    }

    // Slow path, once per new fingerprint: the lock makes "size below the cap, then add" one step, so concurrent
    // new fingerprints cannot push the count past the cap.
    private synchronized Counter admit(String ja4) {
        Counter c = series.get(ja4);
        if (c != null) {
            return c;
        }
        if (series.size() >= maxSeries) {
            if (other == null) {
                other = counter(OTHER);
            }
            return other;
        }
        c = counter(ja4);
        series.put(ja4, c);
        return c;
    }

    private Counter counter(String ja4) {
        return Counter.builder(NAME)
                .description("TLS connections by the JA4 fingerprint of the ClientHello; fingerprints beyond the first "
                        + maxSeries + " count as ja4=\"other\"")
                .tag("ja4", ja4).register(registry);
    }
}
