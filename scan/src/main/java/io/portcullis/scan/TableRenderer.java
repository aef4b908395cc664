package io.portcullis.scan;

import java.util.List;
import java.util.stream.Collectors;

import io.portcullis.scan.ScanReport.CertificateFinding;
import io.portcullis.scan.ScanReport.CipherList;
import io.portcullis.scan.ScanReport.GradeCap;
import io.portcullis.scan.ScanReport.ProtocolFinding;
import io.portcullis.scan.ScanReport.VulnerabilityFinding;

/** The terminal rendering of reports: a summary row per target, then the details that explain the grade. */
public final class TableRenderer {
    private TableRenderer() {
    }

    public static String render(List<ScanReport> reports) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-32s %-6s %-28s %s%n", "TARGET", "GRADE", "PROTOCOLS", "NOTE"));
        for (ScanReport r : reports) {
            String grade = r.grade() == null ? "ERR" : r.grade().grade();
            String protocols = r.protocols().stream().filter(ProtocolFinding::offered)
                    .map(p -> p.protocol().replace("TLS ", "").replace("SSL ", "SSLv").replace(".0", ""))
                    .collect(Collectors.joining(","));
            String note = r.error() != null ? r.error() : r.grade().caps().stream().findFirst()
                    .map(GradeCap::reason).orElse("");
            out.append(String.format("%-32s %-6s %-28s %s%n", r.target(), grade, protocols.isEmpty() ? "-" : "TLS "
                    + protocols, note));
        }
        for (ScanReport r : reports) {
            if (r.error() == null) {
                details(out, r);
            }
        }
        return out.toString();
    }

    private static void details(StringBuilder out, ScanReport r) {
        out.append(String.format("%n== %s (%s) grade %s, score %d, Mozilla profile: %s, %d ms%n", r.target(), r.ip(),
                r.grade().grade(), r.grade().score(), r.grade().mozillaProfile(), r.durationMillis()));
        for (CipherList c : r.ciphers()) {
            out.append(String.format("  %s%s%n", c.protocol(), c.serverPreference() ? " (server order)" : ""));
            c.suites().forEach(s -> out.append(String.format("    %-48s %-10s %s%n", s.name(), s.strength(),
                    s.code())));
        }
        if (r.keyExchange() != null) {
            out.append("  groups: TLS 1.3 ").append(r.keyExchange().groupsTls13()).append(", TLS 1.2 ")
                    .append(r.keyExchange().groupsTls12());
            if (r.keyExchange().dhBits() != null) {
                out.append(", DH ").append(r.keyExchange().dhBits()).append(" bits");
            }
            out.append('\n');
        }
        for (CertificateFinding c : r.certificates()) {
            out.append(String.format("  cert (%s): %s, %s %d, %s, %d days left, trusted=%s, host match=%s%n",
                    c.fetchedWith(), c.subject(), c.keyType(), c.keyBits(), c.signatureAlgorithm(), c.daysLeft(),
                    c.trusted(), c.hostnameMatch()));
            c.chainIssues().forEach(i -> out.append("    chain: ").append(i).append('\n'));
        }
        for (VulnerabilityFinding v : r.vulnerabilities()) {
            if (!v.status().equals("ok")) {
                out.append(String.format("  %-22s %-15s %s%n", v.id(), v.status(), v.detail()));
            }
        }
        if (r.http() != null) {
            out.append(String.format("  http: status %s, HSTS %s, ALPN %s, server %s, missing %s%n",
                    r.http().status(), r.http().hsts(), r.http().alpn(), r.http().server(),
                    r.http().missingSecurityHeaders()));
        }
        if (r.quic() != null) {
            out.append(String.format("  quic: UDP %d %s%n", r.quic().port(), r.quic().answers()
                    ? "answers " + r.quic().versions() : "no (" + r.quic().detail() + ")"));
        }
        for (GradeCap cap : r.grade().caps()) {
            out.append(String.format("  cap %-2s %s%n         fix: %s%n", cap.cap(), cap.reason(), cap.fix()));
        }
    }
}
