package io.portcullis.bench;

import io.portcullis.tls.ProtocolVersion;
import io.portcullis.tls.wire.ClientHelloBuilder;
import io.portcullis.tls.wire.Ja4;
import java.util.List;
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
 * What every new TLS connection pays before its handshake: the ClientHello parsed from the raw records and its JA4
 * computed (two SHA-256 truncations, sorted cipher and extension lists), as {@code Ja4Handler} does at accept.
 * {@code browser}: a browser-sized hello (16 suites, GREASE, SNI, ALPN h2+http/1.1, 3 groups, 2 key shares, session
 * ticket, status request); {@code minimal}: two TLS 1.3 suites, SNI and one ALPN.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Ja4Bench {

    @Param({"browser", "minimal"})
    public String helloCase;

    private byte[] records;

    @Setup
    public void setup() {
        ClientHelloBuilder b = new ClientHelloBuilder().version(ProtocolVersion.TLS_V1_3).serverName("www.example.com");
        if ("browser".equals(helloCase)) {
            b.cipherSuites(List.of(0x4a4a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
                    0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035)).alpn(List.of("h2", "http/1.1"))
                    .extension(0x1a1a, new byte[0]).extension(0x0017, new byte[0])
                    .extension(0x001b, new byte[] {2, 0, 2});
        } else {
            b.cipherSuites(List.of(0x1301, 0x1302)).alpn(List.of("h2")).statusRequest(false).sessionTicket(false)
                    .renegotiationInfo(false);
        }
        records = b.build();
        if (Ja4.fromRecords(records) == null || Ja4.fromRecords(records).isEmpty()) {
            throw new IllegalStateException("the " + helloCase + " hello does not parse");
        }
    }

    @Benchmark
    public String parseAndFingerprint() {
        return Ja4.fromRecords(records);
    }
}
