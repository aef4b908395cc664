package io.portcullis.scan;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Scanner knobs.
 *
 * @param connectTimeout      TCP connect limit per probe (default 3 s)
 * @param readTimeout         limit for the first answer to a ClientHello (default 5 s); silence counts as "no"
 * @param maxConnections      simultaneous connections per target, like sslyze's cap (default 8)
 * @param httpPort            plain-HTTP port checked for a redirect to https; 0 skips the check (default 80)
 * @param extraTrustAnchors   CAs trusted besides the JDK and system stores (a private or test CA)
 * @param httpChecks          whether to fetch the front page for HSTS and headers (default true)
 */
public record ScanOptions(Duration connectTimeout, Duration readTimeout, int maxConnections, int httpPort,
                          List<X509Certificate> extraTrustAnchors, boolean httpChecks) {
    public ScanOptions {
        extraTrustAnchors = List.copyOf(extraTrustAnchors);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections " + maxConnections + " (expected: >= 1)");
        }
    }

    public static ScanOptions defaults() {
        return new ScanOptions(Duration.ofSeconds(3), Duration.ofSeconds(5), 8, 80, List.of(), true);
    }

    public ScanOptions withReadTimeout(Duration d) {
        return new ScanOptions(connectTimeout, d, maxConnections, httpPort, extraTrustAnchors, httpChecks);
    }

    public ScanOptions withHttpPort(int port) {
        return new ScanOptions(connectTimeout, readTimeout, maxConnections, port, extraTrustAnchors, httpChecks);
    }

    public ScanOptions withTrustAnchors(List<X509Certificate> anchors) {
        return new ScanOptions(connectTimeout, readTimeout, maxConnections, httpPort, anchors, httpChecks);
    }

    public ScanOptions withMaxConnections(int n) {
        return new ScanOptions(connectTimeout, readTimeout, n, httpPort, extraTrustAnchors, httpChecks);
    }
}
