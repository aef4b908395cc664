package io.portcullis.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.PortcullisServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Reads a running server's {@code GET /metrics} on its admin endpoint, as Prometheus would, and picks samples out. */
public final class MetricsScrape {
    private MetricsScrape() {
    }

    /** {@link #scrape(PortcullisServer)} of an extension-managed server. */
    public static String scrape(PortcullisExtension server) throws Exception {
        return scrape(server.server());
    }

    /** The Prometheus text of the server's admin endpoint (which must be on). */
    public static String scrape(PortcullisServer server) throws Exception {
        InetSocketAddress admin = server.certServices().adminAddress();
        assertThat(admin).as("admin endpoint").isNotNull();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin.getPort() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return r.body();
    }

    /** The value of the one sample of {@code name} whose labels contain all of {@code labels}; 0 when there is none. */
    public static double value(String exposition, String name, String... labels) {
        List<String> matches = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                matches.add(line);
            }
        }
        assertThat(matches).as("samples of %s %s", name, List.of(labels)).hasSizeLessThanOrEqualTo(1);
        return matches.isEmpty() ? 0 : Double.parseDouble(matches.get(0).substring(matches.get(0).lastIndexOf(' ') + 1));
    }
}
