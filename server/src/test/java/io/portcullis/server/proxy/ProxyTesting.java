package io.portcullis.server.proxy;

import io.portcullis.server.testing.PortcullisExtension;
import java.io.InputStream;
import java.net.http.HttpClient.Version;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Small helpers shared by the proxy's server-level tests. */
final class ProxyTesting {
    private ProxyTesting() {
    }

    /** The same route block once per HTTP version, {@code %V} replaced by the version, so state is not shared. */
    static String perVersion(String routeTemplate) {
        return Stream.of(Version.values()).map(v -> routeTemplate.replace("%V", v.name()))
                .collect(Collectors.joining());
    }

    /** The access log line containing {@code marker}, waiting up to 3 s for it (the log is written asynchronously). */
    static String logLine(PortcullisExtension server, String marker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (true) {
            List<String> lines = server.accessLogLines(0);
            Optional<String> line = lines.stream().filter(l -> l.contains(marker)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no access log line with " + marker + " in " + lines);
            }
            Thread.sleep(20);
        }
    }

    /** Waits up to {@code timeout} for {@code condition}; returns whether it held. */
    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Deterministic incompressible-looking bytes. */
    static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new java.util.SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Describes a response for assertion messages. */
    static <T> String describe(HttpResponse<T> r, Function<T, String> body) {
        return r.version() + " " + r.statusCode() + " " + r.headers().map() + " " + body.apply(r.body());
    }
}
