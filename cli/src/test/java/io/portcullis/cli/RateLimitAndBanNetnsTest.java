package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.MetricsScrape;
import io.portcullis.server.testing.NetNamespace;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rate limits and bans against two real non-loopback clients: each runs in a network namespace of its own (a veth
 * pair each), so the server sees two 10.x addresses. One address is limited and then banned; the other is served
 * throughout. {@code portcullis ban list|remove} (the real CLI, in process) sees and lifts the ban of the running
 * server, and the audit log names the address in every event.
 */
class RateLimitAndBanNetnsTest {
    private static final Pattern STATUS = Pattern.compile("^STATUS (\\d{3}) (\\S*)$", Pattern.MULTILINE);
    private static final Duration CURL = Duration.ofSeconds(30);

    /** Created before the server extension runs (as in AccessControlNetnsTest). */
    private static final NetNamespace hammer = NetNamespace.createForTestClass();
    private static final NetNamespace neighbour = NetNamespace.createForTestClass();

    @AfterAll
    static void deleteNamespaces() throws Exception {
        hammer.close();
        neighbour.close();
    }

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            listeners:
              https: {address: 0.0.0.0, port: 0}
              http: {address: 127.0.0.1, port: 0}
            bans:
              rules:
                - {on: [status_404], count: 5, within: 1m}
              duration: 10m
            sites:
              - hosts: [localhost]
                routes:
                  - path: /limited
                    rate_limit: {rate: 3/m, burst: 3}
                    respond: "limited"
                  - path: /hello
                    respond: "hello"
            """);

    /** curl from a namespace, several URLs over one connection; the statuses and Retry-After values, in order. */
    private static List<String> curl(NetNamespace ns, String... paths) throws Exception {
        int port = server.httpsPort();
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert",
                server.caFile().toString(), "--resolve", "localhost:" + port + ":" + ns.hostAddress(),
                "-w", "\\nSTATUS %{http_code} %header{retry-after}\\n"));
        for (String path : paths) {
            cmd.add("https://localhost:" + port + path);
        }
        Processes.Result r = ns.exec(CURL, cmd.toArray(String[]::new));
        List<String> out = new ArrayList<>();
        Matcher m = STATUS.matcher(r.output());
        while (m.find()) {
            if (m.group(1).equals("000")) {
                continue; // no response: the exit code below says why
            }
            out.add(m.group(1) + (m.group(2).isEmpty() ? "" : " retry-after=" + m.group(2)));
        }
        if (!r.ok()) {
            out.add("exit " + r.exitCode());
        }
        return out;
    }

    private static String audit() throws IOException {
        return Files.readString(server.dir().resolve("data").resolve("audit.log"));
    }

    private static List<String> auditLines(String event, String address) throws IOException {
        return audit().lines().filter(l -> l.contains("\"event\":\"" + event + "\""))
                .filter(l -> l.contains("\"address\":\"" + address + "\"")).toList();
    }

    private static CliRun ban(String... args) throws IOException {
        Path config = server.dir().resolve("cli.yaml");
        Files.writeString(config, "data_dir: \"" + server.dir().resolve("data") + "\"\n"
                + "sites: [{hosts: [localhost], routes: [{respond: hi}]}]\n");
        List<String> all = new ArrayList<>(List.of("ban"));
        all.addAll(List.of(args));
        all.addAll(List.of("-c", config.toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void oneAddressIsRateLimitedWhileTheOtherIsServed() throws Exception {
        String limited = hammer.nsAddress();
        List<String> first = curl(hammer, "/limited", "/limited", "/limited", "/limited", "/limited");
        assertThat(first).hasSize(5);
        assertThat(first.subList(0, 3)).containsOnly("200");
        assertThat(first.subList(3, 5)).allSatisfy(s -> assertThat(s).matches("429 retry-after=([1-9]|1\\d|20)"));
        // The neighbour has a bucket of its own, and keeps it while the first address goes on hammering.
        assertThat(curl(neighbour, "/limited", "/limited")).containsExactly("200", "200");
        assertThat(curl(hammer, "/limited")).singleElement().asString().startsWith("429");
        assertThat(curl(neighbour, "/limited")).containsExactly("200");

        Thread.sleep(300); // the audit log is written asynchronously
        assertThat(auditLines("rate_limited", limited)).hasSize(3)
                .allSatisfy(l -> assertThat(l).contains("\"rule\":\"route 0\"", "\"retry_after\":\""));
        assertThat(auditLines("rate_limited", neighbour.nsAddress())).isEmpty();
    }

    @Test
    void aBurstOf404sBansOneAddressClosingItsOpenConnectionAndTheBanCommandLiftsIt() throws Exception {
        String banned = hammer.nsAddress();
        try (KeptConnection hammerConn = KeptConnection.open(hammer);
             KeptConnection neighbourConn = KeptConnection.open(neighbour)) {
            hammerConn.get("/hello");
            neighbourConn.get("/hello");

            assertThat(curl(hammer, "/a", "/b", "/c", "/d", "/e")).containsExactly("404", "404", "404", "404", "404");

            // The ban closes the open keep-alive connection of that address, not only its next ones.
            assertThat(hammerConn.awaitClosed(Duration.ofSeconds(5))).as("hammer's open connection closed").isTrue();
            assertThat(curl(hammer, "/hello")).as("closed at accept").singleElement().asString().startsWith("exit ");
            // The other address is untouched: its open connection and new ones are served.
            neighbourConn.get("/hello");
            assertThat(neighbourConn.isOpen()).isTrue();
            assertThat(curl(neighbour, "/hello")).containsExactly("200");
        }

        CliRun list = ban("list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(banned + " until ", "status_404").doesNotContain(neighbour.nsAddress());

        CliRun remove = ban("remove", banned);
        assertThat(remove.exit()).as(remove.err()).isZero();
        assertThat(remove.out()).contains("unbanned " + banned);
        // The running server re-reads the list within two seconds.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        List<String> back = curl(hammer, "/hello");
        while (!back.equals(List.of("200")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            back = curl(hammer, "/hello");
        }
        assertThat(back).containsExactly("200");
        assertThat(ban("list").out()).doesNotContain(banned);

        Thread.sleep(300); // the audit log is written asynchronously
        assertThat(auditLines("banned", banned)).singleElement().asString().contains("status_404", "\"strikes\":\"1\"");
        assertThat(auditLines("unbanned", banned)).singleElement().asString().contains("\"source\":\"ban list\"");
        assertThat(audit()).doesNotContain("\"address\":\"" + neighbour.nsAddress() + "\"");
        String metrics = MetricsScrape.scrape(server.server());
        assertThat(MetricsScrape.value(metrics, "portcullis_security_events_total", "event=\"banned\"")).isEqualTo(1);
        assertThat(MetricsScrape.value(metrics, "portcullis_security_events_total", "event=\"unbanned\"")).isEqualTo(1);
    }

    /**
     * An HTTP/1.1 keep-alive connection held open from inside a namespace: {@code openssl s_client} with requests
     * written to its input. The process ends when the server closes the connection.
     */
    private static final class KeptConnection implements AutoCloseable {
        private final Process process;
        private final OutputStream in;
        private final StringBuffer out = new StringBuffer();

        private KeptConnection(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (InputStream s = process.getInputStream()) {
                    byte[] buf = new byte[4096];
                    for (int n; (n = s.read(buf)) >= 0; ) {
                        out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException e) {
                    // the process was killed
                }
            }, "kept-connection-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static KeptConnection open(NetNamespace ns) throws IOException {
            return new KeptConnection(ns.start("openssl", "s_client", "-quiet", "-connect",
                    ns.hostAddress() + ":" + server.httpsPort(), "-servername", "localhost",
                    "-CAfile", server.caFile().toString(), "-verify_return_error"));
        }

        /** Sends a GET on the connection and waits for its 200. */
        void get(String path) throws Exception {
            int before = count(out.toString());
            in.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (count(out.toString()) == before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(count(out.toString())).as("a 200 on the kept connection; got: %s", out).isEqualTo(before + 1);
        }

        private static int count(String text) {
            int n = 0;
            for (int i = text.indexOf("HTTP/1.1 200 "); i >= 0; i = text.indexOf("HTTP/1.1 200 ", i + 1)) {
                n++;
            }
            return n;
        }

        boolean awaitClosed(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        boolean isOpen() {
            return process.isAlive();
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
