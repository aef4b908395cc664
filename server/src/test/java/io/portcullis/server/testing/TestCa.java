package io.portcullis.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway CA and a server certificate for {@code localhost} and {@code 127.0.0.1}, made with the openssl CLI: for
 * https upstreams ({@link NginxUpstream#withTls}) and for any test that needs a chain the JDK does not trust.
 * {@link #close()} deletes the files.
 */
public final class TestCa implements AutoCloseable {
    /** The directory holding every file below. */
    public final Path dir;
    /** The CA's self-signed root, PEM. */
    public final Path caCert;
    /** The server certificate (leaf only; the root is the CA above), PEM. */
    public final Path serverChain;
    /** The server's private key, PEM. */
    public final Path serverKey;

    private TestCa(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.pem");
        this.serverChain = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
    }

    /** A new CA named {@code name} with a P-256 server certificate; takes a few hundred milliseconds. */
    public static TestCa create(String name) throws Exception {
        return create(name, "localhost");
    }

    /** {@link #create(String)} with the server certificate for {@code dnsName} (and 127.0.0.1). */
    public static TestCa create(String name, String dnsName) throws Exception {
        TestCa ca = new TestCa(Files.createTempDirectory("test-ca-"));
        Path d = ca.dir;
        Files.writeString(d.resolve("ext.cnf"), "subjectAltName=DNS:" + dnsName + ",IP:127.0.0.1\n"
                + "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        run(d, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=" + name + " Test CA");
        run(d, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=" + dnsName);
        run(d, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
        return ca;
    }

    /**
     * A client certificate (extended key usage clientAuth) for {@code subject} (openssl form, e.g.
     * {@code /CN=alice/O=Example}) issued by this CA, as a PKCS#12 key store with the password {@code changeit}.
     */
    public Path clientKeyStore(String name, String subject) throws Exception {
        Files.writeString(dir.resolve("client-ext.cnf"), "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
        run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", "client-ext.cnf");
        run(dir, "openssl", "pkcs12", "-export", "-in", name + ".pem", "-inkey", name + ".key", "-out",
                name + ".p12", "-passout", "pass:changeit");
        return dir.resolve(name + ".p12");
    }

    /** {@link #create} for static initialisers. */
    public static TestCa createUnchecked(String name) {
        return createUnchecked(name, "localhost");
    }

    /** {@link #create(String, String)} for static initialisers. */
    public static TestCa createUnchecked(String name, String dnsName) {
        try {
            return create(name, dnsName);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test CA " + name, e);
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
