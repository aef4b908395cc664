package io.portcullis.scan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.portcullis.tls.ProtocolVersion;
import io.portcullis.tls.wire.SslV2Hello;

/**
 * One hello per protocol version, all in parallel: a version is offered when the server answers at exactly that
 * version. The answers also decide whether the target speaks TLS at all, which is the per-target error when it
 * does not ("not TLS: peer sent 'SSH-2.0-...'", "no answer within 5000 ms").
 */
final class ProtocolDetector {
    private final Probe probe;
    private final String sni;
    private final ExecutorService pool;

    ProtocolDetector(Probe probe, String sni, ExecutorService pool) {
        this.probe = probe;
        this.sni = sni;
        this.pool = pool;
    }

    /** Offered versions, the SSLv2 answer (or null), a note per version, and the target-level error if any. */
    record Result(Map<ProtocolVersion, Boolean> offered, SslV2Hello.ServerHello sslV2,
                  Map<ProtocolVersion, String> details, String error) {
        boolean has(ProtocolVersion v) {
            return offered.getOrDefault(v, false);
        }
    }

    Result detect() {
        CompletableFuture<SslV2Hello.ServerHello> v2 = Scanner.async(pool, probe::sslV2);
        Map<ProtocolVersion, CompletableFuture<HelloResult>> tls = new EnumMap<>(ProtocolVersion.class);
        for (ProtocolVersion v : ProtocolVersion.values()) {
            if (v != ProtocolVersion.SSL_V2) {
                List<Integer> suites = v == ProtocolVersion.TLS_V1_3 ? SuiteCatalog.TLS13 : SuiteCatalog.legacy();
                tls.put(v, Scanner.async(pool, () -> probe.hello(Hellos.hello(sni, v, suites), false)));
            }
        }
        Map<ProtocolVersion, Boolean> offered = new EnumMap<>(ProtocolVersion.class);
        Map<ProtocolVersion, String> details = new EnumMap<>(ProtocolVersion.class);
        SslV2Hello.ServerHello sslV2 = v2.join();
        offered.put(ProtocolVersion.SSL_V2, sslV2 != null);
        List<HelloResult> failures = new ArrayList<>();
        for (Map.Entry<ProtocolVersion, CompletableFuture<HelloResult>> e : tls.entrySet()) {
            HelloResult r = e.getValue().join();
            boolean yes = r.accepted() && r.serverHello().version() == e.getKey().wireCode();
            offered.put(e.getKey(), yes);
            if (!yes) {
                details.put(e.getKey(), r.accepted() ? "server answered with "
                        + ProtocolVersion.fromWireCode(r.serverHello().version()).map(ProtocolVersion::displayName)
                        .orElse("0x" + Integer.toHexString(r.serverHello().version())) : r.detail());
                failures.add(r);
            }
        }
        String error = null;
        if (!offered.containsValue(true)) {
            error = targetError(failures);
        }
        return new Result(offered, sslV2, details, error);
    }

    /** The most telling reason no version worked: not TLS beats timeouts beats resets beats plain refusals. */
    static String targetError(List<HelloResult> failures) {
        for (HelloResult.Kind k : List.of(HelloResult.Kind.NOT_TLS, HelloResult.Kind.UNREACHABLE,
                HelloResult.Kind.TIMEOUT)) {
            for (HelloResult r : failures) {
                if (r.kind() == k) {
                    return k == HelloResult.Kind.TIMEOUT ? "timed out: " + r.detail() + " to a TLS ClientHello"
                            : r.detail();
                }
            }
        }
        if (failures.stream().allMatch(r -> "connection reset".equals(r.detail()))) {
            return "connection reset by peer on every ClientHello: not a TLS server?";
        }
        if (failures.stream().allMatch(r -> "connection closed".equals(r.detail()))) {
            return "connection closed by peer on every ClientHello: not a TLS server?";
        }
        return "no SSL/TLS version offered: every ClientHello was refused";
    }
}
