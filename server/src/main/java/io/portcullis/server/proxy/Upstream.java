package io.portcullis.server.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream server of a route and its passive health. Shared by every event loop, so the counters are thread-safe;
 * connections to it are not kept here (see {@link UpstreamPool}, one per event loop).
 *
 * <p>Health follows nginx's {@code max_fails}/{@code fail_timeout}: {@code maxFails} consecutive failures take the
 * upstream out for {@code failDuration}. The failure count is not reset when it goes out, so after the pause one more
 * failure takes it out again at once (a single probe request), while one success brings it fully back.
 */
final class Upstream {
    private final URI uri;
    private final String host;
    private final int port;
    private final boolean secure;
    private final InetSocketAddress address;
    private final String logName;
    private final int maxFails;
    private final long failNanos;
    private final AtomicInteger inFlight = new AtomicInteger();

    private int consecutiveFails;
    private long downUntilNanos;
    private long lastFailNanos = Long.MIN_VALUE;
    private boolean down;

    Upstream(URI uri, int maxFails, Duration failDuration) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("proxy.upstreams: " + uri + " (expected: http://host:port or https://host:port)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("proxy.upstreams: " + uri + " has no host (expected: http://host:port)");
        }
        this.uri = uri;
        this.secure = scheme.equals("https");
        String h = uri.getHost();
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        this.port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        this.address = literalOrUnresolved(host, port);
        this.logName = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        this.maxFails = Math.max(1, maxFails);
        this.failNanos = failDuration.toNanos();
    }

    /** IP literals need no lookup; names stay unresolved so the connector resolves them off the event loop, each time. */
    private static InetSocketAddress literalOrUnresolved(String host, int port) {
        if (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: no DNS query
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("proxy.upstreams: bad address " + host, e);
            }
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    URI uri() {
        return uri;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean secure() {
        return secure;
    }

    InetSocketAddress address() {
        return address;
    }

    /** {@code host:port} as the access log shows it. */
    String logName() {
        return logName;
    }

    /** Requests currently assigned to this upstream on all event loops (for least-connections). */
    int inFlight() {
        return inFlight.get();
    }

    void acquired() {
        inFlight.incrementAndGet();
    }

    void released() {
        inFlight.decrementAndGet();
    }

    synchronized boolean isAvailable(long nowNanos) {
        return !down || nowNanos - downUntilNanos >= 0;
    }

    synchronized long lastFailNanos() {
        return lastFailNanos;
    }

    /** A connect failure, a reset or a timeout before the response completed. Returns true if this took it out. */
    synchronized boolean recordFailure(long nowNanos) {
        lastFailNanos = nowNanos;
        consecutiveFails++;
        if (consecutiveFails >= maxFails) {
            boolean wasUp = !down || nowNanos - downUntilNanos >= 0;
            down = true;
            downUntilNanos = nowNanos + failNanos;
            return wasUp;
        }
        return false;
    }

    /** A response head arrived: the upstream is healthy again. */
    synchronized void recordSuccess() {
        consecutiveFails = 0;
        down = false;
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
