package io.portcullis.bench;

import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.exchange.HostName;
import io.portcullis.server.exchange.PathNormalizer;
import io.portcullis.server.route.Route;
import io.portcullis.server.route.Site;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every request pays before its handler runs, through the public pieces the dispatcher uses: the config lookup
 * (one volatile read of the current runtime, as on reload-swapped servers), Host parsing, path normalisation, the
 * site table and the route list. The case names the kind of hit.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBench {

    @Param({"exact", "wildcard", "default", "ipv4-port"})
    public String hostCase;

    @Param({"first", "deep", "fallthrough", "dotSegments"})
    public String pathCase;

    private final AtomicReference<ServerRuntime> current = new AtomicReference<>();
    private String authority;
    private String rawPath;
    private HttpMethod method;

    @Setup
    public void setup() {
        current.set(BenchRuntime.compile(BenchRuntime.MANY_SITES));
        authority = switch (hostCase) {
            case "exact" -> "www.example.com";
            case "wildcard" -> "Img.Example.com:443";
            case "default" -> "unknown.invalid";
            case "ipv4-port" -> "127.0.0.1:8443";
            default -> throw new IllegalArgumentException(hostCase);
        };
        rawPath = switch (pathCase) {
            case "first" -> "/healthz";
            case "deep" -> "/api/v1/orders/2024/11/0000000042";
            case "fallthrough" -> "/index.html";
            case "dotSegments" -> "/assets/./css/../img/%7Euser/logo.png";
            default -> throw new IllegalArgumentException(pathCase);
        };
        method = HttpMethod.GET;
    }

    @Benchmark
    public String hostParse() {
        return HostName.parse(authority);
    }

    @Benchmark
    public String pathNormalize() {
        return PathNormalizer.normalize(rawPath);
    }

    @Benchmark
    public Site configAndSiteLookup() {
        return current.get().sites().lookup(HostName.parse(authority));
    }

    /** The whole pre-handler decision: runtime, host, path, site, route. */
    @Benchmark
    public Route lookupAndRoute() {
        ServerRuntime rt = current.get();
        Site site = rt.sites().lookup(HostName.parse(authority));
        return site.route(method, PathNormalizer.normalize(rawPath));
    }
}
