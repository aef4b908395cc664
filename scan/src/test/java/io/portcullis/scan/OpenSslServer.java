package io.portcullis.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code openssl s_server -www} on a loopback ephemeral port, serving {@code dir}'s cert.pem, chain.pem (when
 * present) and key.pem.
 */
final class OpenSslServer implements AutoCloseable {
    private final Process process;
    final int port;

    private OpenSslServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static OpenSslServer start(Path dir, String... extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:0", "-cert",
                dir.resolve("cert.pem").toString(), "-key", dir.resolve("key.pem").toString(), "-www"));
        if (java.nio.file.Files.exists(dir.resolve("chain.pem"))) { // absent: an incomplete chain on purpose
            cmd.addAll(List.of("-cert_chain", dir.resolve("chain.pem").toString()));
        }
        if (List.of(extraArgs).contains("-early_data")) {
            cmd.remove("-www"); // s_server refuses -early_data with -www; it then echoes instead of serving HTTP
        }
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("ACCEPT ")) {
                int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "s_server-drain");
                drain.setDaemon(true);
                drain.start();
                return new OpenSslServer(p, port);
            }
            seen.append(line).append('\n');
        }
        p.destroyForcibly();
        throw new IOException("openssl s_server did not start: " + String.join(" ", cmd) + "\n" + seen);
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
