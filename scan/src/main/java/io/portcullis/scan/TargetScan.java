package io.portcullis.scan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import io.portcullis.scan.ScanReport.CertificateFinding;
import io.portcullis.scan.ScanReport.CipherList;
import io.portcullis.scan.ScanReport.HttpFinding;
import io.portcullis.scan.ScanReport.KeyExchangeFinding;
import io.portcullis.scan.ScanReport.QuicFinding;
import io.portcullis.scan.ScanReport.VulnerabilityFinding;
import io.portcullis.tls.Authentication;
import io.portcullis.tls.CipherSuite;
import io.portcullis.tls.KeyExchange;
import io.portcullis.tls.ProtocolVersion;
import io.portcullis.tls.wire.CertificateMessageParser;
import io.portcullis.tls.wire.HandshakeMessage;
import io.portcullis.tls.wire.ServerKeyExchangeParser;
import io.portcullis.tls.wire.SslV2Hello;

/** Phase two of one target's scan, once the protocols are known: every check that depends on them. */
final class TargetScan {
    private final ScanTarget target;
    private final Probe probe;
    private final TrustStores trust;
    private final ProtocolDetector.Result detected;
    private final ExecutorService pool;
    private final String sni;

    TargetScan(ScanTarget target, Probe probe, TrustStores trust, ProtocolDetector.Result detected,
               ExecutorService pool) {
        this.target = target;
        this.probe = probe;
        this.trust = trust;
        this.detected = detected;
        this.pool = pool;
        this.sni = target.sniName();
    }

    ScanReport run(Instant started, String ip, long t0, Consumer<String> progress) {
        CipherEnumerator enumerator = new CipherEnumerator(probe, sni);
        Map<ProtocolVersion, CompletableFuture<CipherEnumerator.Result>> enums = new EnumMap<>(ProtocolVersion.class);
        for (ProtocolVersion v : ProtocolVersion.values()) {
            if (v != ProtocolVersion.SSL_V2 && detected.has(v)) {
                enums.put(v, Scanner.async(pool, () -> enumerator.enumerate(v)));
            }
        }
        GroupEnumerator groups = new GroupEnumerator(probe, sni);
        CompletableFuture<List<String>> groups13 = detected.has(ProtocolVersion.TLS_V1_3)
                ? Scanner.async(pool, groups::tls13) : CompletableFuture.completedFuture(List.of());
        JsseClient jsse = new JsseClient(probe.address(), sni, probe.options());
        CompletableFuture<JsseClient.Session> session = Scanner.async(pool, () -> {
            try {
                return jsse.handshake(List.of("h2", "http/1.1"));
            } catch (IOException | RuntimeException e) {
                return null; // e.g. only protocols or suites the JDK refuses; the raw probes still report
            }
        });
        CompletableFuture<HttpFinding> http = probe.options().httpChecks()
                ? session.thenApplyAsync(s -> httpInspector(jsse).inspect(s == null ? null : s.alpn()), pool)
                : CompletableFuture.completedFuture(null);
        CompletableFuture<QuicFinding> quic = probe.options().httpChecks()
                ? http.thenApplyAsync(this::quic, pool) : CompletableFuture.completedFuture(null);

        Map<ProtocolVersion, CipherEnumerator.Result> accepted = new EnumMap<>(ProtocolVersion.class);
        enums.forEach((v, f) -> accepted.put(v, f.join()));
        progress.accept(target.display() + ": suites done");
        Optional<ProtocolVersion> legacyTop = List.of(ProtocolVersion.TLS_V1_2, ProtocolVersion.TLS_V1_1,
                ProtocolVersion.TLS_V1_0, ProtocolVersion.SSL_V3).stream().filter(accepted::containsKey).findFirst();

        CompletableFuture<List<String>> groups12 = legacyTop.map(v -> Scanner.async(pool, () -> groups.legacy(v,
                suitesWhere(accepted.get(v), s -> s.keyExchange() == KeyExchange.ECDHE))))
                .orElse(CompletableFuture.completedFuture(List.of()));
        CompletableFuture<Integer> dhBits = legacyTop.map(v -> Scanner.async(pool, () -> dhBits(v,
                suitesWhere(accepted.get(v), s -> s.keyExchange() == KeyExchange.DHE
                        || s.keyExchange() == KeyExchange.DHE_EXPORT)))).orElse(CompletableFuture.completedFuture(null));
        List<CompletableFuture<Optional<Fetched>>> certs = new ArrayList<>();
        Instant now = Instant.now();
        CertificateInspector inspector = new CertificateInspector(trust);
        if (legacyTop.isPresent()) {
            ProtocolVersion v = legacyTop.get();
            for (Authentication auth : List.of(Authentication.RSA, Authentication.ECDSA)) {
                List<Integer> suites = suitesWhere(accepted.get(v), s -> s.authentication() == auth);
                if (!suites.isEmpty()) {
                    certs.add(Scanner.async(pool, () -> rawChain(v, suites, auth)));
                }
            }
        }
        if (detected.has(ProtocolVersion.TLS_V1_3)) {
            Tls13Client tls13 = new Tls13Client(probe, sni);
            certs.add(Scanner.async(pool, () -> tls13Chain(tls13, Authentication.ECDSA, Tls13Client.ECDSA_SCHEMES)));
            certs.add(Scanner.async(pool, () -> tls13Chain(tls13, Authentication.RSA, Tls13Client.RSA_SCHEMES)));
        }
        VulnerabilityChecks vulns = new VulnerabilityChecks(probe, sni, detected, accepted, legacyTop);
        var vulnFuture = Scanner.async(pool, vulns::run);
        List<CompletableFuture<List<VulnerabilityFinding>>> extra = extraChecks(accepted, legacyTop);

        List<CertificateFinding> certificates = new ArrayList<>();
        Set<X509Certificate> leaves = new HashSet<>();
        for (CompletableFuture<Optional<Fetched>> f : certs) {
            f.join().filter(x -> leaves.add(x.chain().get(0))).ifPresent(x -> certificates.add(
                    inspector.inspect(x.label(), x.chain(), sni, x.stapled(), now)));
        }
        JsseClient.Session s = session.join();
        if (certificates.isEmpty() && s != null) {
            certificates.add(inspector.inspect("jsse " + s.protocol(), s.chain(), sni, s.ocspStapled(), now));
        }
        if (certificates.isEmpty() && detected.sslV2() != null && detected.sslV2().certificate() != null) {
            certificates.add(inspector.inspect("sslv2", List.of(detected.sslV2().certificate()), sni, false, now));
        }
        List<CipherList> ciphers = cipherLists(accepted, detected.sslV2());
        KeyExchangeFinding kx = new KeyExchangeFinding(groups13.join(), groups12.join(), dhBits.join());
        HttpFinding httpFinding = http.join();
        ScanReport partial = new ScanReport(ScanReport.SCHEMA_VERSION, target.display(), target.host(),
                target.port(), ip, sni, started.toString(), Scanner.millis(t0), null,
                Scanner.protocolFindings(detected.offered(), detected.details()), ciphers, kx, certificates,
                allVulnerabilities(vulnFuture.join(), extra), httpFinding, null, null);
        ScanReport report = new ScanReport(partial.schemaVersion(), partial.target(), partial.host(), partial.port(),
                ip, sni, partial.startedAt(), Scanner.millis(t0), null, partial.protocols(), ciphers, kx,
                certificates, partial.vulnerabilities(), httpFinding, Grader.grade(partial), quic.join());
        progress.accept(target.display() + ": done, grade " + report.grade().grade());
        return report;
    }

    /** Heartbleed, CCS injection, 0-RTT, session resumption, renegotiation and ROBOT, in parallel. */
    private List<CompletableFuture<List<VulnerabilityFinding>>> extraChecks(
            Map<ProtocolVersion, CipherEnumerator.Result> accepted, Optional<ProtocolVersion> legacyTop) {
        List<CompletableFuture<List<VulnerabilityFinding>>> out = new ArrayList<>();
        if (legacyTop.isPresent()) {
            ExploitProbes x = new ExploitProbes(probe, sni, legacyTop.get(), accepted.get(legacyTop.get()).suites());
            out.add(Scanner.async(pool, () -> List.of(x.heartbleed())));
            out.add(Scanner.async(pool, () -> List.of(x.ccsInjection())));
        } else {
            out.add(CompletableFuture.completedFuture(List.of(
                    new VulnerabilityFinding("heartbleed", "not_applicable", "TLS 1.3 only (no heartbeat)"),
                    new VulnerabilityFinding("ccs_injection", "not_applicable", "TLS 1.3 only"))));
        }
        boolean tls13 = accepted.containsKey(ProtocolVersion.TLS_V1_3);
        out.add(tls13 ? Scanner.async(pool, () -> List.of(EarlyDataCheck.run(new Tls13Client(probe, sni))))
                : CompletableFuture.completedFuture(List.of(
                        new VulnerabilityFinding("early_data", "not_applicable", "no TLS 1.3"))));
        if (tls13 || legacyTop.isPresent()) {
            List<Integer> legacySuites = legacyTop.map(v -> accepted.get(v).suites()).orElse(List.of());
            SessionChecks sc = new SessionChecks(probe, sni, tls13, legacyTop.orElse(null), legacySuites);
            out.add(Scanner.async(pool, () -> List.of(sc.resumption())));
            out.add(Scanner.async(pool, () -> List.of(sc.renegotiation())));
        }
        out.add(legacyTop.map(v -> {
            List<Integer> rsaKx = suitesWhere(accepted.get(v), c -> c.keyExchange() == KeyExchange.RSA);
            return Scanner.async(pool, () -> List.of(new RobotCheck(probe, sni, v, rsaKx).run()));
        }).orElse(CompletableFuture.completedFuture(List.of(new VulnerabilityFinding("robot", "not_applicable",
                "TLS 1.3 only (no RSA key exchange)")))));
        return out;
    }

    private static List<VulnerabilityFinding> allVulnerabilities(List<VulnerabilityFinding> basic,
            List<CompletableFuture<List<VulnerabilityFinding>>> extra) {
        List<VulnerabilityFinding> all = new ArrayList<>(basic);
        extra.forEach(f -> all.addAll(f.join()));
        return all;
    }

    private static final java.util.regex.Pattern ALT_SVC_H3 = java.util.regex.Pattern.compile(
            "\\bh3(?:-\\d+)?=\"[^\":]*:(\\d+)\"");

    /** UDP on the port Alt-Svc names for h3, else on the scanned port (where servers usually put QUIC). */
    private QuicFinding quic(HttpFinding http) {
        int port = target.port();
        String why = "UDP " + port + ", the scanned port";
        if (http != null && http.altSvc() != null) {
            java.util.regex.Matcher m = ALT_SVC_H3.matcher(http.altSvc());
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                why = "UDP " + port + " from Alt-Svc";
            }
        }
        java.time.Duration timeout = probe.options().readTimeout().compareTo(java.time.Duration.ofMillis(1500)) < 0
                ? probe.options().readTimeout() : java.time.Duration.ofMillis(1500);
        return QuicProbe.probe(new InetSocketAddress(probe.address().getAddress(), port), timeout, why);
    }

    private HttpInspector httpInspector(JsseClient jsse) {
        int httpPort = probe.options().httpPort();
        InetSocketAddress plain = httpPort == 0 ? null : new InetSocketAddress(probe.address().getAddress(), httpPort);
        return new HttpInspector(jsse, plain, sni, probe.options());
    }

    static List<Integer> suitesWhere(CipherEnumerator.Result r, java.util.function.Predicate<CipherSuite> p) {
        return r.suites().stream().filter(c -> CipherSuite.fromCode(c).filter(p).isPresent()).toList();
    }

    private Integer dhBits(ProtocolVersion v, List<Integer> dheSuites) {
        if (dheSuites.isEmpty()) {
            return null;
        }
        HelloResult r = probe.hello(Hellos.hello(sni, v, dheSuites), true);
        HandshakeMessage ske = r.accepted() ? r.message(HandshakeMessage.SERVER_KEY_EXCHANGE) : null;
        return ske == null ? null : ServerKeyExchangeParser.dhPrimeBits(ske);
    }

    /** One chain as served and how it was obtained; chains are compared by leaf to report each one once. */
    private record Fetched(String label, List<X509Certificate> chain, boolean stapled) {
    }

    private Optional<Fetched> rawChain(ProtocolVersion v, List<Integer> suites, Authentication auth) {
        HelloResult r = probe.hello(Hellos.hello(sni, v, suites), true);
        HandshakeMessage cert = r.accepted() ? r.message(HandshakeMessage.CERTIFICATE) : null;
        if (cert == null) {
            return Optional.empty();
        }
        List<X509Certificate> chain = CertificateMessageParser.parse(cert);
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        boolean stapled = r.message(HandshakeMessage.CERTIFICATE_STATUS) != null;
        return Optional.of(new Fetched(auth.name() + " " + v.displayName(), chain, stapled));
    }

    /**
     * TLS 1.3 picks the certificate by signature_algorithms, not by suite, and encrypts it: offering one key type's
     * schemes at a time makes a server with RSA and ECDSA certificates show each, also when it offers TLS 1.3
     * only. A server without a certificate of that type refuses the handshake, which simply means "no such chain".
     */
    private Optional<Fetched> tls13Chain(Tls13Client client, Authentication auth, int[] schemes) {
        Tls13Client.Result r = client.handshake(schemes, false);
        if (r.chain().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Fetched(auth.name() + " TLS 1.3", r.chain(), r.ocspStapled()));
    }

    private static List<CipherList> cipherLists(Map<ProtocolVersion, CipherEnumerator.Result> accepted,
                                                SslV2Hello.ServerHello sslV2) {
        List<CipherList> out = new ArrayList<>();
        if (sslV2 != null) {
            out.add(new CipherList(ProtocolVersion.SSL_V2.displayName(), false, sslV2.cipherKinds().stream()
                    .map(k -> new ScanReport.CipherFinding(String.format("0x%06X", k),
                            SslV2Hello.CIPHER_KINDS.getOrDefault(k, "SSL_CK_UNKNOWN"), null, "RSA", 0, false, false,
                            "insecure")).toList()));
        }
        accepted.forEach((v, r) -> out.add(new CipherList(v.displayName(), r.serverPreference(),
                r.suites().stream().map(SuiteCatalog::describe).toList())));
        return out;
    }
}
