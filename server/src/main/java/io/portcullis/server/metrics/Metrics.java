package io.portcullis.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.internal.PlatformDependent;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The process's meters, exported in Prometheus text by the admin endpoint ({@code GET /metrics}). One instance lives
 * as long as the server, across config reloads, so counters never reset on a reload.
 *
 * <p>Tag values are always from bounded sets (site names from the config, protocol, status class, event and failure
 * kinds named in the code): never client addresses or anything else a client controls, which would let a client grow
 * the registry without bound. The one client-chosen label, the JA4 fingerprint, has a hard cap on its series
 * ({@link ClientFingerprintMeters}).
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, SiteMeters> sites = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> events = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> handshakeFailures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> handshakes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> accepted = new ConcurrentHashMap<>();
    private final ClientFingerprintMeters fingerprints =
            new ClientFingerprintMeters(registry, ClientFingerprintMeters.DEFAULT_MAX_SERIES);
    private final List<Runnable> beforeScrape = new java.util.concurrent.CopyOnWriteArrayList<>();
    private JvmGcMetrics gc;

    /** The registry other parts register their own meters with. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adds the JVM and process meters: memory, GC, threads, classes, CPU, uptime, file descriptors, Netty direct memory. */
    public Metrics bindJvm() {
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("portcullis.netty.direct.memory", PlatformDependent::usedDirectMemory)
                .description("Direct memory held by Netty's buffers")
                .baseUnit("bytes")
                .register(registry);
        return this;
    }

    /** A gauge read from {@code source} at scrape time. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    /** The request meters of a site, created on first use and kept across reloads while the site exists. */
    public SiteMeters site(String name) {
        return sites.computeIfAbsent(name, n -> new SiteMeters(registry, n));
    }

    /** Drops the meters of sites a reload removed, so renamed sites do not leave dead series behind. */
    public void retainSites(Set<String> names) {
        sites.entrySet().removeIf(e -> {
            if (names.contains(e.getKey())) {
                return false;
            }
            e.getValue().removeFrom(registry);
            return true;
        });
    }

    /** A security event, as written to the audit log ({@code access_denied}, {@code rate_limited}, ...). */
    public void event(String event) {
        events.computeIfAbsent(event, e -> Counter.builder("portcullis.security.events")
                .description("Security events (the audit log's event names), counted even without an audit log")
                .tag("event", e).register(registry)).increment();
    }

    /** A TLS handshake that completed, by protocol version. */
    public void handshakeCompleted(String version) {
        handshakes.computeIfAbsent(version == null ? "unknown" : version, v -> Counter.builder("portcullis.tls.handshakes")
                .description("Completed TLS handshakes by protocol version")
                .tag("version", v).register(registry)).increment();
    }

    /** A TLS handshake that failed, by the audit log's failure kind (protocol_version, no_shared_cipher, ...). */
    public void handshakeFailed(String kind) {
        handshakeFailures.computeIfAbsent(kind, k -> Counter.builder("portcullis.tls.handshake.failures")
                .description("Failed TLS handshakes by kind")
                .tag("kind", k).register(registry)).increment();
    }

    /** A TLS connection whose ClientHello had the JA4 fingerprint {@code ja4} (bounded, see the meters' doc). */
    public void clientFingerprint(String ja4) {
        fingerprints.count(ja4);
    }

    /** A TCP connection accepted on a listener ({@code https}, {@code http}). */
    public void connectionAccepted(String listener) {
        accepted.computeIfAbsent(listener, l -> Counter.builder("portcullis.connections.accepted")
                .description("Connections accepted, by listener")
                .tag("listener", l).register(registry)).increment();
    }

    /** Runs before every scrape, for meters whose set of series follows state held elsewhere (certificates). */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
