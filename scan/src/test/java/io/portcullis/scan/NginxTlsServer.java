package io.portcullis.scan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx serving https on a loopback ephemeral port with the TLS directives a test gives, and the certificate
 * in {@code dir} (cert.pem + chain.pem as the full chain). Foreground, no master process, stopped by its PID.
 */
final class NginxTlsServer implements AutoCloseable {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final Path dir;
    final int port;

    private NginxTlsServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** {@code directives} go into the server block, e.g. ssl_protocols, ssl_ciphers, add_header. */
    static NginxTlsServer start(Path certDir, String directives) throws Exception {
        Path dir = Files.createDirectories(certDir.resolve("nginx"));
        Path chain = certDir.resolve("chain.pem");
        Files.writeString(dir.resolve("fullchain.pem"), Files.readString(certDir.resolve("cert.pem"))
                + (Files.exists(chain) ? Files.readString(chain) : ""));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s;
                    proxy_temp_path %1$s;
                    fastcgi_temp_path %1$s;
                    uwsgi_temp_path %1$s;
                    scgi_temp_path %1$s;
                    server {
                        listen 127.0.0.1:%2$d ssl;
                        server_name localhost;
                        ssl_certificate %1$s/fullchain.pem;
                        ssl_certificate_key %3$s;
                        %4$s
                        location / { return 200 "scan target\\n"; }
                    }
                }
                """.formatted(dir, port, certDir.resolve("key.pem"), directives);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf")
                .toString()).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        NginxTlsServer server = new NginxTlsServer(p, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("nginx exited " + p.exitValue() + ": " + server.logs());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        server.close();
        throw new IOException("nginx did not listen on " + port + ": " + server.logs());
    }

    String logs() throws IOException {
        Path err = dir.resolve("error.log");
        return Files.readString(dir.resolve("stdout.log")) + (Files.exists(err) ? Files.readString(err) : "");
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
