package io.portcullis.bench;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.server.filter.ResponseHeaderPolicy;
import io.portcullis.server.route.Site;
import java.util.concurrent.TimeUnit;
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
 * The response header filter every response passes: security headers, HSTS, the site's add/remove, Server dropped.
 * {@code plain}: the harness's site (HSTS off, no add/remove) on a handler's small header set; {@code full}: HSTS on,
 * two adds and a remove on a proxied response's typical upstream headers. The fresh header map is part of the cost,
 * as it is per response in the server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderPolicyBench {

    @Param({"plain", "full"})
    public String policyCase;

    private ResponseHeaderPolicy policy;
    private boolean upstreamHeaders;

    @Setup
    public void setup() {
        Site site = "plain".equals(policyCase)
                ? BenchRuntime.compile(BenchRuntime.HELLO).sites().lookup("localhost")
                : BenchRuntime.compile(BenchRuntime.MANY_SITES).sites().lookup("example.com");
        policy = site.headerPolicy();
        upstreamHeaders = !"plain".equals(policyCase);
    }

    @Benchmark
    public HttpHeaders apply() {
        HttpHeaders h = new DefaultHttpHeaders(false);
        h.set("content-type", "text/plain");
        h.set("content-length", "13");
        if (upstreamHeaders) {
            h.set("server", "nginx/1.22.1");
            h.set("date", "Tue, 01 Apr 2025 12:00:00 GMT");
            h.set("cache-control", "max-age=60");
            h.set("etag", "\"67ec0a3e-d\"");
            h.set("x-powered-by", "PHP/8.2");
            h.set("vary", "Accept-Encoding");
        }
        policy.apply(h, true);
        return h;
    }
}
