package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.FreePorts;
import io.portcullis.server.testing.NginxUpstream;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failures through the real server, HTTP/1.1 and HTTP/2 from the client: 502 for an unreachable upstream, 504 for a
 * silent one, an aborted response for one that stalls mid-body, the single retry of idempotent requests, passive
 * health and least-connections. Each test has its own route per HTTP version ({@code /x-HTTP_1_1/...}), so balancer
 * and health state never leak from one run into the other. Timeouts are 1 s, so every test is quick.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyFailureServerTest {
    @RegisterExtension
    @Order(1)
    static NginxUpstream nginx = new NginxUpstream("good");

    static final int DEAD = FreePorts.take();
    static final RawServer silent = start(RawServer::silent);
    static final RawServer stall = start(() -> RawServer.stallsAfterHead(1_000_000, 10_000));
    static final Map<Version, RawServer> failing = perVersion(() -> RawServer.closesAfterHead(300));
    static final Map<Version, CountDownLatch> gates = new EnumMap<>(Version.class);
    static final Map<Version, RawServer> gated = new EnumMap<>(Version.class);
    static final Map<Version, RawServer> diesOnReuse = perVersion(RawServer::diesOnReuse);
    static final RawServer late = start(() -> RawServer.bodyAfter(1500, "late body"));
    static final Map<Version, RawServer> slowHead = perVersion(RawServer::headAfterQueryDelay);
    static final Map<Version, RawServer> keepAlive = perVersion(
            () -> RawServer.fixed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

    static {
        for (Version v : Version.values()) {
            gates.put(v, new CountDownLatch(1));
            gated.put(v, start(() -> RawServer.gated(gates.get(v), "slow")));
        }
    }

    @RegisterExtension
    @Order(2)
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> {
        StringBuilder routes = new StringBuilder();
        for (Version v : Version.values()) {
            routes.append("""
                          - path: /refused-%1$s/*
                            proxy: {upstreams: ["http://127.0.0.1:%2$d"], connect_timeout: 1s, max_fails: 1}
                          - path: /silent-%1$s/*
                            proxy: {upstreams: ["%3$s"], first_byte_timeout: 1s}
                          - path: /stall-%1$s/*
                            proxy: {upstreams: ["%4$s"], idle_timeout: 1s, first_byte_timeout: 5s}
                          - path: /health-%1$s/*
                            proxy: {upstreams: ["%5$s", "%6$s"], max_fails: 2, fail_duration: 2s}
                          - path: /retry-%1$s/*
                            proxy: {upstreams: ["http://127.0.0.1:%2$d", "%6$s"], max_fails: 1000, connect_timeout: 1s}
                          - path: /lc-%1$s/*
                            proxy: {upstreams: ["%7$s", "%6$s"], balance: least_conn, first_byte_timeout: 20s}
                          - path: /stale-%1$s/*
                            proxy: {upstreams: ["%8$s"]}
                          - path: /late-%1$s/*
                            proxy: {upstreams: ["%9$s"]}
                          - path: /slowhead-%1$s/*
                            proxy: {upstreams: ["%10$s"], first_byte_timeout: 1s}
                          - path: /pooled-%1$s/*
                            proxy: {upstreams: ["%11$s"], idle_timeout: 1s}
                    """.formatted(v, DEAD, silent.uri(), stall.uri(), failing.get(v).uri(), nginx.uri(),
                    gated.get(v).uri(), diesOnReuse.get(v).uri(), late.uri(), slowHead.get(v).uri(),
                    keepAlive.get(v).uri()));
        }
        return "sites:\n  - hosts: [localhost]\n    routes:\n" + routes;
    });

    interface IoSupplier<T> {
        T get() throws Exception;
    }

    static <T> T start(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<Version, RawServer> perVersion(IoSupplier<RawServer> s) {
        Map<Version, RawServer> m = new EnumMap<>(Version.class);
        for (Version v : Version.values()) {
            m.put(v, start(s));
        }
        return m;
    }

    @AfterAll
    static void stopRawServers() throws Exception {
        gates.values().forEach(CountDownLatch::countDown);
        for (RawServer s : List.of(silent, stall, late)) {
            s.close();
        }
        for (Map<Version, RawServer> m : List.of(failing, gated, diesOnReuse, slowHead, keepAlive)) {
            for (RawServer s : m.values()) {
                s.close();
            }
        }
    }

    private static HttpResponse<String> send(Version v, HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = server.httpClient(v).send(b.timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(v);
        return r;
    }

    private static HttpResponse<String> get(Version v, String path) throws Exception {
        return send(v, HttpRequest.newBuilder(server.uri(path)));
    }

    private static HttpResponse<String> post(Version v, String path) throws Exception {
        return send(v, HttpRequest.newBuilder(server.uri(path)).POST(HttpRequest.BodyPublishers.ofString("data")));
    }

    private static String upstreamOf(String logLine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"upstream\":\"([^\"]*)\"").matcher(logLine);
        return m.find() ? m.group(1) : null;
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void refusedUpstreamIs502Quickly(Version v) throws Exception {
        for (int i = 0; i < 2; i++) { // the second time the upstream is "out" (max_fails 1) and is still tried
            String marker = UUID.randomUUID().toString();
            long start = System.nanoTime();
            HttpResponse<String> r = get(v, "/refused-" + v + "/x?m=" + marker);
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(ProxyTesting.since(start)).isLessThan(Duration.ofSeconds(2));
            assertThat(r.body()).doesNotContain("Exception");
            String line = ProxyTesting.logLine(server, marker);
            assertThat(line).contains("\"status\":502").doesNotContain("upstream_status");
            assertThat(upstreamOf(line)).startsWith("127.0.0.1:" + DEAD);
        }
        HttpResponse<String> p = post(v, "/refused-" + v + "/x");
        assertThat(p.statusCode()).isEqualTo(502);
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void silentUpstreamIs504AfterTheFirstByteTimeout(Version v) throws Exception {
        int closedBefore = silent.peerClosed.get();
        long start = System.nanoTime();
        HttpResponse<String> r = get(v, "/silent-" + v + "/x");
        Duration took = ProxyTesting.since(start);
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
        // the abandoned upstream connection is closed, not leaked
        assertThat(ProxyTesting.await(Duration.ofSeconds(3), () -> silent.peerClosed.get() > closedBefore)).isTrue();
    }

    /**
     * The first-byte timeout runs from each request's own send, also on a reused upstream connection whose earlier
     * request started the timer: a head 0.7 s after the second request (1.3 s after the first) is in time, one 1.5 s
     * after the third is not.
     */
    @ParameterizedTest
    @EnumSource(Version.class)
    void firstByteTimeoutCountsFromEachRequestOnAReusedConnection(Version v) throws Exception {
        // one client, so one client connection and event loop, whose pool hands the upstream connection on
        java.net.http.HttpClient client = server.httpClient(v);
        IoFunction<String, HttpResponse<String>> get = path -> client.send(HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.apply("/slowhead-" + v + "/a").statusCode()).isEqualTo(200);
        Thread.sleep(600);
        assertThat(get.apply("/slowhead-" + v + "/b?head_after_ms=700").statusCode()).isEqualTo(200);
        assertThat(slowHead.get(v).connections.get()).as("both requests on one upstream connection").isEqualTo(1);
        long start = System.nanoTime();
        assertThat(get.apply("/slowhead-" + v + "/c?head_after_ms=1500").statusCode()).isEqualTo(504);
        assertThat(ProxyTesting.since(start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
    }

    interface IoFunction<T, R> {
        R apply(T t) throws Exception;
    }

    /** GETs {@code path}, returning as soon as the head is in; the body is read from the stream. */
    private static HttpResponse<InputStream> streamed(Version v, String path, Duration timeout) throws Exception {
        return server.httpClient(v).send(HttpRequest.newBuilder(server.uri(path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void aHeadThatComesAloneIsPassedOnAtOnceNotWithTheBody(Version v) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> r = streamed(v, "/late-" + v + "/x", Duration.ofSeconds(10));
        Duration toHead = ProxyTesting.since(start);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(toHead).as("head before the upstream's 1.5 s pause ended").isLessThan(Duration.ofMillis(1000));
        try (InputStream in = r.body()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("late body");
        }
        assertThat(ProxyTesting.since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void upstreamStallingMidResponseAbortsTheClientAfterTheIdleTimeout(Version v) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> r = streamed(v, "/stall-" + v + "/x", Duration.ofSeconds(15));
        assertThat(r.statusCode()).isEqualTo(200); // the head was passed on before the stall
        assertThat(r.headers().firstValueAsLong("content-length")).hasValue(1_000_000);
        long[] received = new long[1];
        InputStream in = r.body();
        // read on another thread so that a hang fails this test in seconds instead of blocking it
        CompletableFuture<Throwable> reading = CompletableFuture.supplyAsync(() -> {
            try (in) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    received[0] += n;
                }
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Throwable error;
        try {
            error = reading.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException hung) {
            in.close();
            throw new AssertionError("the client was left hanging after the upstream stalled", hung);
        }
        assertThat(error).as("a truncated body must be an error, not a clean end").isInstanceOf(IOException.class);
        Duration took = ProxyTesting.since(start);
        assertThat(received[0]).isEqualTo(10_000);
        assertThat(took).as("aborted by the 1 s idle timeout, not hung").isBetween(Duration.ofMillis(900),
                Duration.ofSeconds(4));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void getIsRetriedOnConnectFailurePostIsNot(Version v) throws Exception {
        String good = "127.0.0.1:" + nginx.port();
        String dead = "127.0.0.1:" + DEAD;
        List<String> getUpstreams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String marker = UUID.randomUUID().toString();
            HttpResponse<String> r = get(v, "/retry-" + v + "/name?m=" + marker);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("good");
            getUpstreams.add(upstreamOf(ProxyTesting.logLine(server, marker)));
        }
        // round robin sends some GETs to the dead upstream first; each of those was retried once on the good one
        assertThat(getUpstreams).contains(dead + ", " + good).allMatch(u -> u.equals(good) || u.equals(dead + ", " + good));

        List<Integer> postStatuses = new ArrayList<>();
        List<String> postUpstreams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String marker = UUID.randomUUID().toString();
            postStatuses.add(post(v, "/retry-" + v + "/name?m=" + marker).statusCode());
            postUpstreams.add(upstreamOf(ProxyTesting.logLine(server, marker)));
        }
        // a POST that hit the dead upstream is answered 502 and never sent a second time
        assertThat(postStatuses).contains(502, 200).containsOnly(502, 200);
        for (int i = 0; i < 4; i++) {
            assertThat(postUpstreams.get(i)).isEqualTo(postStatuses.get(i) == 502 ? dead : good);
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void failingUpstreamIsTakenOutAfterMaxFailsAndProbedAfterFailDuration(Version v) throws Exception {
        RawServer bad = failing.get(v);
        String prefix = "/health-" + v + "/";
        // round robin alternates until the bad upstream has failed max_fails (2) times; each failure costs 300 ms
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(get(v, prefix + "warmup/hello").statusCode());
        }
        assertThat(statuses).containsExactly(502, 200, 502, 200);
        assertThat(bad.requests.get()).isEqualTo(2);

        // now out for fail_duration (2 s): every request goes to the good one, fast
        long goodBefore = nginx.requestCount(prefix + "out");
        long start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = get(v, prefix + "out/hello");
            assertThat(r.statusCode()).isEqualTo(200);
        }
        Duration eight = ProxyTesting.since(start);
        assertThat(bad.requests.get()).as("the bad upstream was skipped").isEqualTo(2);
        assertThat(ProxyTesting.await(Duration.ofSeconds(2),
                () -> count(prefix + "out") == goodBefore + 8)).as("all 8 reached the good upstream").isTrue();
        assertThat(eight).as("no request paid the bad upstream's 300 ms").isLessThan(Duration.ofMillis(8 * 300));

        // after fail_duration one request probes it again; its failure takes it out again at once
        Thread.sleep(2100);
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            after.add(get(v, prefix + "probe/hello").statusCode());
        }
        assertThat(bad.requests.get()).as("exactly one probe").isEqualTo(3);
        assertThat(after).containsOnlyOnce(502).containsOnly(200, 502);
    }

    private static long count(String marker) {
        try {
            return nginx.requestCount(marker);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void leastConnAvoidsTheBusyUpstream(Version v) throws Exception {
        RawServer slow = gated.get(v);
        HttpClient client = server.httpClient(v);
        String path = "/lc-" + v + "/name";
        CompletableFuture<HttpResponse<String>> held = null;
        for (int i = 0; i < 3 && held == null; i++) {
            int before = slow.requests.get();
            CompletableFuture<HttpResponse<String>> f = client.sendAsync(HttpRequest.newBuilder(server.uri(path))
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            ProxyTesting.await(Duration.ofSeconds(5), () -> f.isDone() || slow.requests.get() > before);
            if (!f.isDone()) {
                held = f; // landed on the gated upstream and waits there
            } else {
                assertThat(f.get().body()).isEqualTo("good");
            }
        }
        assertThat(held).as("one request is held by the busy upstream").isNotNull();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).as("least_conn picks the idle upstream").isEqualTo("good");
        }
        assertThat(slow.requests.get()).isEqualTo(1);
        gates.get(v).countDown();
        assertThat(held.get(5, TimeUnit.SECONDS).body()).isEqualTo("slow");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void keepAliveConnectionClosedByTheUpstreamOnReuseIsRetriedForGet(Version v) throws Exception {
        RawServer flaky = diesOnReuse.get(v);
        HttpClient client = server.httpClient(v); // one client connection, so one event loop and one pool
        String prefix = "/stale-" + v + "/";
        assertThat(client.send(HttpRequest.newBuilder(server.uri(prefix + "1")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("conn 1");
        HttpResponse<String> second = client.send(HttpRequest.newBuilder(server.uri(prefix + "2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).as("conn 1 died on reuse; retried on a fresh one").isEqualTo("conn 2");
        assertThat(flaky.connections.get()).isEqualTo(2);
        assertThat(flaky.requests.get()).as("1, the reuse that died, and its retry").isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void pooledUpstreamConnectionIsClosedAfterTheIdleTimeout(Version v) throws Exception {
        RawServer upstream = keepAlive.get(v);
        assertThat(get(v, "/pooled-" + v + "/1").body()).isEqualTo("ok");
        long start = System.nanoTime();
        assertThat(ProxyTesting.await(Duration.ofSeconds(5), () -> upstream.peerClosed.get() == 1))
                .as("the idle pooled connection is closed").isTrue();
        assertThat(ProxyTesting.since(start)).as("kept for the 1 s idle timeout, then closed")
                .isBetween(Duration.ofMillis(800), Duration.ofSeconds(3));
        assertThat(upstream.connections.get()).isEqualTo(1);
        assertThat(get(v, "/pooled-" + v + "/2").body()).as("a new connection after the old one expired")
                .isEqualTo("ok");
        assertThat(upstream.connections.get()).isEqualTo(2);
    }
}
