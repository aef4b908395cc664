package io.portcullis.cli;

import io.portcullis.scan.Grader;
import io.portcullis.scan.HtmlRenderer;
import io.portcullis.scan.ReportJson;
import io.portcullis.scan.ScanOptions;
import io.portcullis.scan.ScanReport;
import io.portcullis.scan.ScanTarget;
import io.portcullis.scan.Scanner;
import io.portcullis.scan.TableRenderer;
import io.portcullis.tls.PemException;
import io.portcullis.tls.PemFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis scan HOST[:PORT]...}: audits TLS servers and grades them like SSL Labs. Progress goes to stderr,
 * the table to stdout, the full findings to {@code --json}, a readable report to {@code --html}. Exit 0 when every
 * target reached {@code --fail-under} (or none was given), 1 when one graded below it or could not be scanned, 2 on
 * usage errors.
 */
@Command(name = "scan", description = "Audit servers' TLS: protocols, ciphers, certificate, vulnerabilities, "
        + "HTTP headers, grade.")
final class ScanCommand implements Callable<Integer> {
    static final int BELOW_THRESHOLD = 1;
    static final int USAGE = 2;
    private static final Set<String> GRADES = Set.of("A+", "A", "A-", "B", "C", "D", "E", "F");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "HOST[:PORT]", description = "targets; port 443 unless given; "
            + "[v6]:port for IPv6")
    List<String> targets;

    @Option(names = "--sni", paramLabel = "NAME", description = "server name to send and check (default: the host)")
    String sni;

    @Option(names = "--ip", paramLabel = "ADDR", description = "connect to this address instead of resolving HOST")
    String ip;

    @Option(names = "--json", paramLabel = "FILE", description = "write the findings as JSON (docs/scan-schema.md)")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "write a self-contained HTML report")
    Path html;

    @Option(names = "--fail-under", paramLabel = "GRADE", description = "exit 1 if a target grades below this "
            + "(A+, A, A-, B, C, D, E, F; T and M rank below F)")
    String failUnder;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "read timeout per probe (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "8",
            description = "simultaneous connections per target (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "also trust the CAs in this PEM file")
    Path caFile;

    @Option(names = "--no-http", description = "skip the HTTP checks (HSTS, headers, port 80 redirect)")
    boolean noHttp;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (failUnder != null && !GRADES.contains(failUnder.toUpperCase())) {
            err.println("--fail-under: " + failUnder + " (expected: A+, A, A-, B, C, D, E or F)");
            return USAGE;
        }
        if (timeoutSeconds < 1 || connections < 1) {
            err.println("--timeout and --connections: must be at least 1");
            return USAGE;
        }
        List<ScanTarget> parsed = new ArrayList<>();
        try {
            for (String t : targets) {
                parsed.add(ScanTarget.parse(t, sni, ip));
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        ScanOptions options = ScanOptions.defaults().withReadTimeout(Duration.ofSeconds(timeoutSeconds))
                .withMaxConnections(connections);
        if (noHttp) {
            options = new ScanOptions(options.connectTimeout(), options.readTimeout(), options.maxConnections(), 0,
                    options.extraTrustAnchors(), false);
        }
        if (caFile != null) {
            try {
                options = options.withTrustAnchors(PemFiles.readCertificates(caFile));
            } catch (PemException e) {
                err.println("--ca-file: " + e.getMessage());
                return USAGE;
            }
        }
        List<ScanReport> reports;
        try (Scanner scanner = new Scanner(options)) {
            // One progress line, rewritten in place: the table at the end is what people read.
            reports = scanner.scanAll(parsed, line -> {
                synchronized (err) {
                    err.print("\r\033[K" + line);
                    err.flush();
                }
            });
        }
        err.print("\r\033[K");
        err.flush();
        out.print(TableRenderer.render(reports));
        out.flush();
        if (json != null) {
            try {
                Files.writeString(json, ReportJson.write(reports));
            } catch (IOException e) {
                err.println("--json: cannot write " + json + ": " + e.getMessage());
                return BELOW_THRESHOLD;
            }
        }
        if (html != null) {
            try {
                Files.writeString(html, HtmlRenderer.render(reports));
            } catch (IOException e) {
                err.println("--html: cannot write " + html + ": " + e.getMessage());
                return BELOW_THRESHOLD;
            }
        }
        if (failUnder == null) {
            return reports.stream().allMatch(r -> r.error() == null) ? ExitCodes.OK : BELOW_THRESHOLD;
        }
        int threshold = Grader.rank(failUnder.toUpperCase());
        boolean ok = reports.stream().allMatch(r -> r.grade() != null && Grader.rank(r.grade().grade()) >= threshold);
        return ok ? ExitCodes.OK : BELOW_THRESHOLD;
    }
}
