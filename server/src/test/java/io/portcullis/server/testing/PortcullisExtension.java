package io.portcullis.server.testing;

import io.portcullis.config.ConfigLoader;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.server.PortcullisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the real server, in-process, on ephemeral loopback ports from a YAML snippet, for one test class. The snippet
 * holds what the test is about (usually {@code sites:}); unless it sets them itself, the extension adds listeners on
 * 127.0.0.1 port 0, a temporary {@code data_dir} and an access log file in the temporary directory. Clients get an
 * {@link SSLContext} that trusts the server's local CA, so tests verify certificates like real clients do.
 *
 * <pre>
 * &#64;RegisterExtension
 * static PortcullisExtension server = PortcullisExtension.fromYaml("""
 *     sites:
 *       - hosts: [localhost]
 *         routes:
 *           - respond: "hello"
 *     """);
 * </pre>
 */
public final class PortcullisExtension implements BeforeAllCallback, AfterAllCallback {
    private static final Pattern TOP_LEVEL_KEY = Pattern.compile("(?m)^(\\w+):");

    private final Supplier<String> yaml;
    private Path dir;
    private PortcullisServer server;
    private SSLContext sslContext;
    private String bystanderPath;
    private int bystanderStatus;
    private WellBehavedClient bystander;

    private PortcullisExtension(Supplier<String> yaml) {
        this.yaml = yaml;
    }

    public static PortcullisExtension fromYaml(String yaml) {
        return new PortcullisExtension(() -> yaml);
    }

    /** For configs that need values known only when the class starts (an upstream's port). */
    public static PortcullisExtension fromYaml(Supplier<String> yaml) {
        return new PortcullisExtension(yaml);
    }

    /**
     * Keeps a {@link WellBehavedClient} fetching {@code path} in the background for the whole class, from the server's
     * start to its stop: the class fails if any of its answers was not {@code expectedStatus}, which proves that what
     * the tests throw at the server never disturbed anyone else.
     */
    public PortcullisExtension withBystander(String path, int expectedStatus) {
        this.bystanderPath = path;
        this.bystanderStatus = expectedStatus;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("portcullis-test-");
        PortcullisConfig config = ConfigLoader.loadString(fullYaml(yaml.get()), "test.yaml", dir);
        server = PortcullisServer.start(config);
        if (bystanderPath != null) {
            bystander = WellBehavedClient.start(this, bystanderPath, bystanderStatus);
        }
    }

    /** The snippet plus the test defaults it does not set itself. */
    public String fullYaml(String snippet) {
        List<String> keys = TOP_LEVEL_KEY.matcher(snippet).results().map(m -> m.group(1)).toList();
        StringBuilder sb = new StringBuilder();
        if (!keys.contains("data_dir")) {
            sb.append("data_dir: ").append(quote(dir.resolve("data").toString())).append('\n');
        }
        if (!keys.contains("access_log")) {
            sb.append("access_log:\n  output: ").append(quote(accessLogPath().toString())).append('\n');
        }
        if (!keys.contains("admin")) {
            sb.append("admin: {address: 127.0.0.1, port: 0}\n");
        }
        if (!keys.contains("listeners")) {
            sb.append("listeners:\n  https: {address: 127.0.0.1, port: 0}\n  http: {address: 127.0.0.1, port: 0}\n");
        }
        return sb.append(snippet).toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (bystander != null) {
                bystander.stopAndAssertHealthy();
            }
        } finally {
            if (server != null) {
                server.stop(Duration.ofSeconds(2));
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The background client of {@link #withBystander}, for tests that check it midway. */
    public WellBehavedClient bystander() {
        return bystander;
    }

    public PortcullisServer server() {
        return server;
    }

    public int httpsPort() {
        return server.httpsPort();
    }

    public int httpPort() {
        return server.httpPort();
    }

    /** The temporary directory of this server (data, access log). */
    public Path dir() {
        return dir;
    }

    /** {@code https://localhost:PORT/path}. */
    public URI uri(String path) {
        return URI.create("https://localhost:" + httpsPort() + path);
    }

    /** PEM file of the local CA root, for curl's {@code --cacert} and openssl's {@code -CAfile}. */
    public Path caFile() {
        return server.certs().localCaRoot();
    }

    /** A client TLS context that trusts the server's local CA (and nothing else). */
    public synchronized SSLContext sslContext() throws Exception {
        if (sslContext == null) {
            sslContext = Trust.localCa(caFile());
        }
        return sslContext;
    }

    /** A JDK client for one HTTP version that verifies the server against the local CA. */
    public HttpClient httpClient(HttpClient.Version version) throws Exception {
        return HttpClient.newBuilder()
                .version(version)
                .sslContext(sslContext())
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public Path accessLogPath() {
        return dir.resolve("access.log");
    }

    /** The first access log line containing {@code text}, waiting up to 5 s for it; fails when none appears. */
    public String accessLogLine(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(accessLogPath())) {
                for (String line : Files.readAllLines(accessLogPath(), StandardCharsets.UTF_8)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access log line contains " + text);
    }

    /** The first audit log line (data/audit.log) containing every one of {@code texts}, waiting up to 5 s for it. */
    public String auditLine(String... texts) throws Exception {
        Path audit = dir.resolve("data").resolve("audit.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(audit)) {
                lines = Files.readAllLines(audit, StandardCharsets.UTF_8);
                for (String line : lines) {
                    if (Stream.of(texts).allMatch(line::contains)) {
                        return line;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no audit log line contains all of " + List.of(texts) + " in " + lines);
    }

    /** Access log lines, waiting up to 3 s for at least {@code atLeast} lines (the log is written asynchronously). */
    public List<String> accessLogLines(int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(accessLogPath())) {
                lines = Files.readAllLines(accessLogPath(), StandardCharsets.UTF_8);
                if (lines.size() >= atLeast) {
                    return lines;
                }
            }
            Thread.sleep(20);
        }
        return lines;
    }
}
