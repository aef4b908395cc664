package io.portcullis.scan;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.portcullis.scan.ScanReport.CipherList;
import io.portcullis.scan.ScanReport.ProtocolFinding;
import io.portcullis.tls.ProtocolVersion;

/**
 * Scans targets: reachability, protocol detection, then everything that depends on the protocols (suites, groups,
 * certificates, vulnerabilities, HTTP) in parallel. Each target has its own connection cap; targets run
 * concurrently and a failing target never stops the others. Thread-safe; close to stop the worker threads.
 */
public final class Scanner implements AutoCloseable {
    private final ScanOptions options;
    private final ExecutorService pool;
    private final TrustStores trust;

    public Scanner(ScanOptions options) {
        this.options = options;
        // Probes block on sockets: a cached pool grows to the number of checks in flight; the per-target
        // semaphore, not the pool size, bounds the connections.
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scan-probe");
            t.setDaemon(true);
            return t;
        });
        this.trust = new TrustStores(options.extraTrustAnchors());
    }

    /** Scans all targets in parallel; {@code progress} hears one line per finished step. Never throws. */
    public List<ScanReport> scanAll(List<ScanTarget> targets, Consumer<String> progress) {
        List<CompletableFuture<ScanReport>> futures = targets.stream()
                .map(t -> CompletableFuture.supplyAsync(() -> scan(t, progress), pool)).toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    public ScanReport scan(ScanTarget target, Consumer<String> progress) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        InetAddress address;
        try {
            address = InetAddress.getByName(target.ip() != null ? target.ip() : target.host());
        } catch (UnknownHostException e) {
            return ScanReport.failed(target, null, started.toString(), 0,
                    "cannot resolve " + (target.ip() != null ? target.ip() : target.host()));
        }
        InetSocketAddress socket = new InetSocketAddress(address, target.port());
        Probe probe = new Probe(socket, options, new Semaphore(options.maxConnections()));
        String ip = address.getHostAddress();
        try {
            HelloResult reach = probe.reachable();
            if (reach != null) {
                return ScanReport.failed(target, ip, started.toString(), millis(t0), reach.detail());
            }
            progress.accept(target.display() + ": protocols");
            ProtocolDetector.Result detected = new ProtocolDetector(probe, target.sniName(), pool).detect();
            if (detected.error() != null) {
                return ScanReport.failed(target, ip, started.toString(), millis(t0), detected.error());
            }
            progress.accept(target.display() + ": ciphers, certificates, vulnerabilities");
            return new TargetScan(target, probe, trust, detected, pool).run(started, ip, t0, progress);
        } catch (RuntimeException e) {
            // A bug must cost one target, not the run: report it as that target's error.
            return ScanReport.failed(target, ip, started.toString(), millis(t0),
                    "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static <T> CompletableFuture<T> async(ExecutorService pool, Supplier<T> s) {
        return CompletableFuture.supplyAsync(s, pool);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    static List<ProtocolFinding> protocolFindings(Map<ProtocolVersion, Boolean> offered,
                                                  Map<ProtocolVersion, String> details) {
        List<ProtocolFinding> out = new ArrayList<>();
        for (ProtocolVersion v : ProtocolVersion.values()) {
            out.add(new ProtocolFinding(v.displayName(), offered.getOrDefault(v, false), details.get(v)));
        }
        return out;
    }

    static Map<ProtocolVersion, CipherList> emptyCipherMap() {
        return new EnumMap<>(ProtocolVersion.class);
    }
}
