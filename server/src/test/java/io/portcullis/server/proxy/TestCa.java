package io.portcullis.server.proxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throwaway CA and a server certificate (localhost, 127.0.0.1) made with the openssl CLI, for https upstreams. */
final class TestCa {
    final Path dir;
    final Path caCert;
    final Path serverChain;
    final Path serverKey;

    private TestCa(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.pem");
        this.serverChain = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
    }

    static TestCa create(String name) throws Exception {
        TestCa ca = new TestCa(Files.createTempDirectory("test-ca-"));
        Path d = ca.dir;
        Files.writeString(d.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                + "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        run(d, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=" + name + " Test CA");
        run(d, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        run(d, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
        return ca;
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
