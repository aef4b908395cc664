package io.portcullis.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real ACME CA for tests: Debian's {@code pebble} with {@code pebble-challtestsrv} as its DNS, both on 127.0.0.1 with
 * ephemeral ports, started by the test and killed by PID in {@link #close()}. Pebble serves ACME over TLS with a
 * certificate from its own {@link TestCa} ({@link #caRoot()} is what {@code acme.ca_root} trusts), validates
 * challenges against the given http/https ports of the server under test, and resolves every name to 127.0.0.1
 * (override per name with {@link #addA}). {@code PEBBLE_VA_NOSLEEP=1} removes its artificial delays and
 * {@code PEBBLE_VA_ALWAYS_VALID=0} makes it really validate.
 */
public final class Pebble implements AutoCloseable {
    private final TestCa tls;
    private final Path dir;
    private final int acmePort;
    private final int managementPort;
    private final int dnsPort;
    private final int challtestPort;
    private final List<Process> processes = new ArrayList<>();
    private String ocspResponderUrl = "";
    private String externalAccountKeys = "";
    private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Pebble(TestCa tls, Path dir, int acmePort, int managementPort, int dnsPort, int challtestPort) {
        this.tls = tls;
        this.dir = dir;
        this.acmePort = acmePort;
        this.managementPort = managementPort;
        this.dnsPort = dnsPort;
        this.challtestPort = challtestPort;
    }

    /**
     * Starts the DNS mock and Pebble.
     *
     * @param httpPort         where Pebble sends HTTP-01 validation requests (the server's http listener)
     * @param tlsPort          where Pebble sends TLS-ALPN-01 validation handshakes (the server's https listener)
     * @param validitySeconds  lifetime of the certificates it issues (0: Pebble's default, about five years)
     */
    public static Pebble start(int httpPort, int tlsPort, long validitySeconds) throws Exception {
        Pebble p = prepare();
        try {
            p.launch(httpPort, tlsPort, validitySeconds);
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    /**
     * A Pebble whose {@link #directory()} and {@link #caRoot()} are known but that does not run yet, so a server can
     * be configured with a CA that is down and see it come up with {@link #launch}.
     */
    public static Pebble prepare() throws Exception {
        TestCa tls = TestCa.create("Pebble");
        return new Pebble(tls, tls.dir, FreePorts.take(), FreePorts.take(), FreePorts.take(), FreePorts.take());
    }

    /**
     * Before {@link #launch}: the OCSP URL Pebble writes into the AIA of what it issues. Pebble itself answers no
     * OCSP; see {@link PebbleOcspResponder}.
     */
    public Pebble ocspResponder(String url) {
        this.ocspResponderUrl = url;
        return this;
    }

    /**
     * Before {@link #launch}: new accounts must carry an external account binding (RFC 8555 7.3.4) signed with this
     * MAC key (base64url), as commercial CAs require.
     */
    public Pebble requireExternalAccount(String keyId, String hmacKeyBase64Url) {
        this.externalAccountKeys = ",\n  \"externalAccountMACKeys\": {\"" + keyId + "\": \"" + hmacKeyBase64Url
                + "\"}";
        return this;
    }

    /** Starts the DNS mock and Pebble on the ports chosen by {@link #prepare()}; see {@link #start}. */
    public void launch(int httpPort, int tlsPort, long validitySeconds) throws Exception {
        startChalltestsrv();
        startPebble(httpPort, tlsPort, validitySeconds);
    }

    private void startChalltestsrv() throws Exception {
        // An empty defaultIPv6 answers AAAA with nothing, so Pebble dials the IPv4 loopback the server listens on.
        spawn(List.of("pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
                "-dns01", "127.0.0.1:" + dnsPort, "-management", "127.0.0.1:" + challtestPort,
                "-http01", "", "-https01", "", "-tlsalpn01", ""), Map.of(), "challtestsrv.log");
        awaitPort(challtestPort);
    }

    private void startPebble(int httpPort, int tlsPort, long validitySeconds) throws Exception {
        String config = """
                {"pebble": {
                  "listenAddress": "127.0.0.1:%d",
                  "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s",
                  "privateKey": "%s",
                  "httpPort": %d,
                  "tlsPort": %d,
                  "ocspResponderURL": "%s",
                  "externalAccountBindingRequired": %s%s%s
                }}
                """.formatted(acmePort, managementPort, tls.serverChain, tls.serverKey, httpPort, tlsPort,
                ocspResponderUrl, !externalAccountKeys.isEmpty(), externalAccountKeys,
                validitySeconds > 0 ? ",\n  \"certificateValidityPeriod\": " + validitySeconds : "");
        Path file = Files.writeString(dir.resolve("pebble-config.json"), config);
        spawn(List.of("pebble", "-config", file.toString(), "-dnsserver", "127.0.0.1:" + dnsPort, "-strict=false"),
                Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_VA_ALWAYS_VALID", "0", "PEBBLE_AUTHZREUSE", "0",
                        "PEBBLE_WFE_NONCEREJECT", "0"), "pebble.log");
        awaitPort(acmePort);
    }

    private void spawn(List<String> command, Map<String, String> env, String log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        pb.environment().putAll(env);
        processes.add(pb.start());
    }

    /** The ACME directory URL. */
    public URI directory() {
        return URI.create("https://127.0.0.1:" + acmePort + "/dir");
    }

    /** PEM of the root that signed Pebble's own TLS certificate (not the CA it issues from). */
    public Path caRoot() {
        return tls.caCert;
    }

    /** Makes {@code host} resolve to {@code ip} in Pebble's DNS (e.g. to an address nobody listens on). */
    public void addA(String host, String ip) throws Exception {
        post(URI.create("http://127.0.0.1:" + challtestPort + "/add-a"),
                "{\"host\":\"" + host + "\",\"addresses\":[\"" + ip + "\"]}");
    }

    /** Pebble's PEM of its current issuing root (for verifying served chains). */
    public String issuingRootPem() throws Exception {
        return managementGet("/roots/0");
    }

    /** PEM of the intermediate Pebble issues from (the issuer of its leaves). */
    public String issuingIntermediatePem() throws Exception {
        return managementGet("/intermediates/0");
    }

    /** PEM of that intermediate's private key (Pebble is a test CA: it hands it out, for OCSP responders). */
    public String issuingIntermediateKeyPem() throws Exception {
        return managementGet("/intermediate-keys/0");
    }

    /** Pebble's JSON status of a certificate by serial (hex), including {@code "Status": "Revoked"}. */
    public String certStatus(String serialHex) throws Exception {
        return managementGet("/cert-status-by-serial/" + serialHex);
    }

    private String managementGet(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(Trust.localCa(tls.caCert))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + managementPort + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("pebble management " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private void post(URI uri, String json) throws Exception {
        HttpResponse<String> r = plain.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** Pebble's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("pebble.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("pebble or challtestsrv exited: " + log());
                }
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on 127.0.0.1:" + port + " after 20 s: " + log());
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.toHandle().destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.toHandle().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        tls.close();
    }
}
