package io.portcullis.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Reads the admin endpoint's {@code GET /metrics} (Prometheus text) the way a scraper does. */
public final class MetricsScrape {
    private MetricsScrape() {
    }

    /** The whole exposition of {@code server}'s admin endpoint. */
    public static String scrape(PortcullisExtension server) throws Exception {
        InetSocketAddress admin = server.server().certServices().adminAddress();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin.getPort() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return r.body();
    }

    /** The sample of {@code name} whose labels include all of {@code labels}; 0 when there is none. */
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
