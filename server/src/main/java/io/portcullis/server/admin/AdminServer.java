package io.portcullis.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.certs.CertStore;
import io.portcullis.certs.ServedCertificate;
import io.portcullis.certs.acme.AcmeRenewalScheduler;
import io.portcullis.certs.acme.RenewalStatus;
import io.portcullis.config.AdminConfig;
import io.portcullis.server.metrics.CertificateMeters;
import io.portcullis.server.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback admin API the CLI talks to. Deliberately tiny (the JDK's HTTP server, one thread, no authentication,
 * loopback only, enforced by the config):
 * <ul>
 *   <li>{@code GET /certs}: JSON array of the certificates in service: host names, issuer, not-after, days left, next
 *       renewal, source, and the last ACME failure;</li>
 *   <li>{@code POST /certs/renew?host=H}: renews the ACME certificate of H's site now; 200 with the new serial, or
 *       502 with the failure (the CA's problem document) while the old certificate keeps serving;</li>
 *   <li>{@code GET /metrics}: every meter in the Prometheus text format.</li>
 * </ul>
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final Duration RENEW_TIMEOUT = Duration.ofMinutes(5);

    private final HttpServer http;
    private final CertStore certs;
    private final AcmeRenewalScheduler acme;
    private final Metrics metrics;

    private AdminServer(HttpServer http, CertStore certs, AcmeRenewalScheduler acme, Metrics metrics) {
        this.http = http;
        this.certs = certs;
        this.acme = acme;
        this.metrics = metrics;
    }

    /** Starts the endpoint, or returns null (with a warning) when its port is taken: the server runs on without it. */
    public static AdminServer start(AdminConfig config, CertStore certs, AcmeRenewalScheduler acme, Metrics metrics) {
        if (!config.enabled()) {
            return null;
        }
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(config.address(), config.port()), 16);
        } catch (IOException e) {
            LOG.warn("admin endpoint not started on {}:{}: {}; portcullis cert commands cannot reach this server",
                    config.address(), config.port(), e.getMessage());
            return null;
        }
        AdminServer admin = new AdminServer(http, certs, acme, metrics);
        http.createContext("/certs", admin::handle);
        http.createContext("/metrics", admin::handle);
        http.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "portcullis-admin");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        LOG.info("admin endpoint on http://{}", http.getAddress());
        return admin;
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/certs") && method.equals("GET")) {
                send(ex, 200, listJson());
            } else if (path.equals("/certs/renew") && method.equals("POST")) {
                renew(ex);
            } else if (path.equals("/metrics") && method.equals("GET")) {
                sendMetrics(ex);
            } else {
                send(ex, 404, "{\"error\":\"unknown endpoint (expected: GET /certs, POST /certs/renew?host=H, "
                        + "GET /metrics)\"}");
            }
        } catch (RuntimeException e) {
            LOG.warn("admin request failed", e);
        }
    }

    private void renew(HttpExchange ex) throws IOException {
        String host = query(ex, "host");
        if (host == null) {
            send(ex, 400, "{\"error\":\"missing ?host=\"}");
            return;
        }
        try {
            acme.renew(host).get(RENEW_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String serial = certs.inventory().stream().filter(c -> c.hosts().contains(host)).findFirst()
                    .map(c -> c.leaf().getSerialNumber().toString(16)).orElse("");
            send(ex, 200, "{\"host\":" + Json.str(host) + ",\"renewed\":true,\"serial\":" + Json.str(serial) + "}");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            int status = cause instanceof IllegalArgumentException ? 404 : 502;
            send(ex, status, "{\"host\":" + Json.str(host) + ",\"renewed\":false,\"error\":"
                    + Json.str(String.valueOf(cause.getMessage())) + "}");
        } catch (TimeoutException e) {
            send(ex, 504, "{\"error\":\"renewal still running after " + RENEW_TIMEOUT.toMinutes() + " min\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String listJson() {
        Instant now = Instant.now();
        List<RenewalStatus> statuses = acme.status();
        List<String> items = new ArrayList<>();
        for (ServedCertificate c : certs.inventory()) {
            X509Certificate leaf = c.leaf();
            Instant notAfter = leaf.getNotAfter().toInstant();
            RenewalStatus st = statuses.stream().filter(s -> s.names().equals(c.hosts())).findFirst().orElse(null);
            Instant next = switch (c.source()) {
                case ACME -> st == null ? null : st.renewAt();
                case INTERNAL -> halfLife(leaf); // LocalLeafStore re-issues past half the lifetime
                case FILES -> null;
            };
            items.add("{\"hosts\":" + Json.strings(c.hosts())
                    + ",\"issuer\":" + Json.str(leaf.getIssuerX500Principal().getName())
                    + ",\"serial\":" + Json.str(leaf.getSerialNumber().toString(16))
                    + ",\"not_after\":" + Json.str(notAfter.toString())
                    + ",\"days_left\":" + Duration.between(now, notAfter).toDays()
                    + ",\"next_renewal\":" + (next == null ? "null" : Json.str(next.toString()))
                    + ",\"source\":" + Json.str(CertificateMeters.source(c.source()))
                    + ",\"last_error\":" + (st == null || st.lastError() == null ? "null" : Json.str(st.lastError()))
                    + "}");
        }
        return "[" + String.join(",", items) + "]";
    }

    private static Instant halfLife(X509Certificate leaf) {
        Instant nb = leaf.getNotBefore().toInstant();
        return nb.plus(Duration.between(nb, leaf.getNotAfter().toInstant()).dividedBy(2));
    }

    private static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void sendMetrics(HttpExchange ex) throws IOException {
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        if (http.getExecutor() instanceof java.util.concurrent.ExecutorService es) {
            es.shutdownNow();
        }
    }
}
