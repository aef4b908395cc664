package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Renders the admin endpoint's {@code GET /certs} JSON as the {@code cert list} table. */
final class CertTable {
    private static final String[] HEADER = {"HOST", "ISSUER", "NOT AFTER", "DAYS LEFT", "NEXT RENEWAL", "SOURCE"};

    private CertTable() {
    }

    static void print(String json, PrintWriter out) throws java.io.IOException {
        JsonNode items = new ObjectMapper().readTree(json);
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        List<String> errors = new ArrayList<>();
        for (JsonNode c : items) {
            List<String> hosts = new ArrayList<>();
            c.get("hosts").forEach(h -> hosts.add(h.asText()));
            String host = hosts.isEmpty() ? "(default)" : String.join(",", hosts);
            JsonNode next = c.get("next_renewal");
            rows.add(new String[] {host, commonName(c.get("issuer").asText()), c.get("not_after").asText(),
                    c.get("days_left").asText(), next == null || next.isNull() ? "-" : next.asText(),
                    c.get("source").asText()});
            JsonNode err = c.get("last_error");
            if (err != null && !err.isNull()) {
                errors.add(host + ": last renewal failed: " + err.asText());
            }
        }
        int[] widths = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        errors.forEach(out::println);
    }

    private static String commonName(String dn) {
        for (String rdn : dn.split(",")) {
            if (rdn.strip().startsWith("CN=")) {
                return rdn.strip().substring(3);
            }
        }
        return dn;
    }
}
