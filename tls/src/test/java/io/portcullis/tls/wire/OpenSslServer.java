package io.portcullis.tls.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code openssl s_server} on a loopback ephemeral port, with a fresh self-signed P-256 certificate. */
final class OpenSslServer implements AutoCloseable {
    private final Process process;
    final int port;

    private OpenSslServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static OpenSslServer start(Path dir, String... extraArgs) throws IOException, InterruptedException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        if (!Files.exists(cert)) {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-subj", "/CN=localhost", "-days", "1", "-keyout", key.toString(), "-out", cert.toString());
        }
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:0", "-cert",
                cert.toString(), "-key", key.toString(), "-www"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("ACCEPT ")) {
                int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "s_server-drain");
                drain.setDaemon(true);
                drain.start();
                return new OpenSslServer(p, port);
            }
        }
        p.destroyForcibly();
        throw new IOException("openssl s_server did not start: " + String.join(" ", cmd));
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("failed: " + String.join(" ", cmd));
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
