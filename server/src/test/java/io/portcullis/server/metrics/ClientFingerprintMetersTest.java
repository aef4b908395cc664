package io.portcullis.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The cap on JA4 series: a client minting fingerprints cannot grow the registry past it, and nothing goes uncounted. */
class ClientFingerprintMetersTest {
    private static final String NAME = "portcullis.tls.client.fingerprints";

    private static String fakeJa4(int i) {
        return "t13d%04dh2_%012x_000000000000".formatted(i % 10_000, i);
    }

    @Test
    void firstFingerprintsGetSeriesLaterOnesCountAsOther() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ClientFingerprintMeters meters = new ClientFingerprintMeters(registry, 3);
        meters.count(fakeJa4(1));
        meters.count(fakeJa4(2));
        meters.count(fakeJa4(1));
        meters.count(fakeJa4(3));
        meters.count(fakeJa4(4)); // past the cap
        meters.count(fakeJa4(5));
        meters.count(fakeJa4(2)); // admitted earlier: keeps its own series

        assertThat(registry.get(NAME).tag("ja4", fakeJa4(1)).counter().count()).isEqualTo(2);
        assertThat(registry.get(NAME).tag("ja4", fakeJa4(2)).counter().count()).isEqualTo(2);
        assertThat(registry.get(NAME).tag("ja4", fakeJa4(3)).counter().count()).isEqualTo(1);
        assertThat(registry.get(NAME).tag("ja4", "other").counter().count()).isEqualTo(2);
        assertThat(registry.find(NAME).tag("ja4", fakeJa4(4)).counter()).isNull();
        assertThat(registry.find(NAME).counters()).hasSize(4);
        assertThat(registry.scrape()).contains("portcullis_tls_client_fingerprints_total{ja4=\"other\"} 2.0");
    }

    @Test
    void manyThreadsMintingFingerprintsStayWithinTheDefaultCap() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ClientFingerprintMeters meters = new ClientFingerprintMeters(registry, ClientFingerprintMeters.DEFAULT_MAX_SERIES);
        int threads = 8;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        meters.count(fakeJa4(base + i));
                        meters.count(fakeJa4(i % 50)); // a few common ones, seen by every thread
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(meters.distinct()).isEqualTo(ClientFingerprintMeters.DEFAULT_MAX_SERIES);
        assertThat(registry.find(NAME).counters()).hasSize(ClientFingerprintMeters.DEFAULT_MAX_SERIES + 1);
        double total = registry.find(NAME).counters().stream().mapToDouble(Counter::count).sum();
        assertThat(total).isEqualTo(2.0 * threads * perThread);
        long lines = registry.scrape().lines().filter(l -> l.startsWith("portcullis_tls_client_fingerprints_total{"))
                .count();
        assertThat(lines).isEqualTo(ClientFingerprintMeters.DEFAULT_MAX_SERIES + 1);
    }
}
