package io.portcullis.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real nginx as an upstream for tests: {@code @RegisterExtension static NginxUpstream nginx = new NginxUpstream();}.
 * Everything lives in a temp directory (config, pid, logs, temp paths, the document root {@link #root()}); nginx
 * runs in the foreground without a master process, listens on 127.0.0.1 on a free port, and is killed by PID after
 * the test class.
 *
 * <p>Built-in locations (the first four match as path suffixes, so a route prefix such as {@code /rr/hello} works):
 * {@code /hello} (fixed body), {@code /headers} (echoes the forwarding and hop-by-hop request
 * headers, {@code |}-separated, see {@link #HEADER_FIELDS}), {@code /conn} (nginx's connection serial number, to
 * count upstream connections), {@code /name} (the instance name, to tell upstreams apart), {@code /files/} (static
 * files from {@code root()/files}), {@code /upload/} (WebDAV PUT into {@code root()/upload}, so nginx really reads
 * the whole body) and {@code /status/404}, {@code /status/500}. Add more with {@link #withLocations}.
 */
public final class NginxUpstream implements BeforeAllCallback, AfterAllCallback {
    /** The fields {@code /headers} returns, in order. */
    public static final String HEADER_FIELDS = "x_forwarded_for|forwarded|host|x_forwarded_proto|x_forwarded_host"
            + "|connection|keep_alive|te|upgrade|proxy_authorization|x_custom|x_hop|transfer_encoding|cookie|proxy_connection";
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final String name;
    private String extraLocations = "";
    private Path certPem;
    private Path keyPem;
    private Path dir;
    private int port;
    private Process process;

    public NginxUpstream() {
        this("nginx");
    }

    public NginxUpstream(String name) {
        this.name = name;
    }

    /** Extra {@code location} blocks for the server block. */
    public NginxUpstream withLocations(String locations) {
        this.extraLocations = locations;
        return this;
    }

    /** Serve https with this certificate chain and key (PEM files). */
    public NginxUpstream withTls(Path certChainPem, Path keyPem) {
        this.certPem = certChainPem;
        this.keyPem = keyPem;
        return this;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:port} or {@code https://...}. */
    public URI uri() {
        return URI.create((certPem != null ? "https" : "http") + "://127.0.0.1:" + port);
    }

    /** The document root; {@code files/} below it is served at {@code /files/}. */
    public Path root() {
        return dir.resolve("www");
    }

    /** nginx's access log (combined format, one line per request, written when the request ends). */
    public Path accessLog() {
        return dir.resolve("access.log");
    }

    /** Requests in the access log whose line contains {@code marker} (e.g. a unique path). */
    public long requestCount(String marker) throws IOException {
        if (!Files.exists(accessLog())) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(accessLog())) {
            return lines.filter(l -> l.contains(marker)).count();
        }
    }

    public Path errorLog() {
        return dir.resolve("error.log");
    }

    /** The error log's content, for assertion messages. */
    public static String errorLogText(NginxUpstream n) {
        try {
            return "nginx error.log:\n" + Files.readString(n.errorLog());
        } catch (IOException e) {
            return "nginx error.log unreadable: " + e;
        }
    }

    public static boolean isInstalled() {
        return Files.isExecutable(NGINX);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    public void start() throws Exception {
        if (!isInstalled()) {
            throw new IllegalStateException(NGINX + " not found (expected: apt-get install -y nginx-light)");
        }
        dir = Files.createTempDirectory("nginx-upstream-");
        for (String d : new String[] {"www/files", "www/upload", "body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
            Files.createDirectories(dir.resolve(d));
        }
        port = FreePorts.take();
        Files.writeString(dir.resolve("nginx.conf"), config());
        process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        awaitPort(Duration.ofSeconds(10));
    }

    private String config() {
        String d = dir.toString();
        String fields = String.join("|", Stream.of(HEADER_FIELDS.split("\\|")).map(f -> "$http_" + f).toList());
        String tls = certPem == null ? "" : " ssl;\n        ssl_certificate " + certPem + ";\n        ssl_certificate_key "
                + keyPem + ";\n        ssl_protocols TLSv1.2 TLSv1.3";
        return """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    default_type text/plain;
                    sendfile on;
                    keepalive_requests 100000;
                    keepalive_timeout 120s;
                    server {
                        listen 127.0.0.1:%2$d%3$s;
                        root %1$s/www;
                        location ~ /hello$ { return 200 "hello from nginx\\n"; }
                        location ~ /headers$ { return 200 "%4$s"; }
                        location ~ /conn$ { return 200 "$connection"; }
                        location ~ /name$ { return 200 "%5$s"; }
                        location = /status/404 { return 404 "status 404\\n"; }
                        location = /status/500 { return 500 "status 500\\n"; }
                        location /files/ { }
                        location /upload/ {
                            dav_methods PUT DELETE;
                            create_full_put_path on;
                            client_max_body_size 0;
                            client_body_buffer_size 1m;
                        }
                        %6$s
                    }
                }
                """.formatted(d, port, tls, fields, name, extraLocations);
    }

    private void awaitPort(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + logs());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("nginx did not listen on " + port + " within " + timeout + ": " + logs());
    }

    private String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : new String[] {"stdout.log", "error.log"}) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                sb.append(Files.readString(p));
            }
        }
        return sb.toString();
    }

    public void stop() throws Exception {
        if (process != null) {
            process.destroy(); // SIGTERM: nginx's fast shutdown
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
