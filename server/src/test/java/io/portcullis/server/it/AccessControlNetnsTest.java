package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.NetNamespace;
import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.Processes;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Address rules against a real non-loopback client: curl runs in a network namespace joined by a veth pair, so its
 * requests come from 10.x.y.2 while the test's own requests come from 127.0.0.1. The server listens on 0.0.0.0.
 */
class AccessControlNetnsTest {
    /** Created before the server extension runs, which needs the subnet for its config. */
    private static final NetNamespace ns = NetNamespace.createForTestClass();

    @AfterAll
    static void deleteNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            listeners:
              https: {address: 0.0.0.0, port: 0}
              http: {address: 127.0.0.1, port: 0}
            ranges:
              lab: [%s]
            sites:
              - hosts: [localhost]
                routes:
                  - path: /lab-only
                    access: {allow: [lab]}
                    respond: "lab"
                  - path: /not-lab
                    access: {deny: [lab]}
                    respond: "not lab"
                  - path: /not-lab-silent
                    access: {deny: [lab], denied: close}
                    respond: "not lab"
                  - path: /loopback-only
                    access: {allow: [127.0.0.0/8, "::1"]}
                    respond: "loopback"
                  - respond: "open"
            """.formatted(ns.subnet()));

    /** curl from inside the namespace, to the host's veth address; returns "status body" or "exit N". */
    private static String curlFromNamespace(String path) throws Exception {
        int port = server.httpsPort();
        Processes.Result r = ns.exec(Duration.ofSeconds(20), "curl", "-sS", "--max-time", "10",
                "--cacert", server.caFile().toString(),
                "--resolve", "localhost:" + port + ":" + ns.hostAddress(),
                "-w", " %{http_code}", "https://localhost:" + port + path);
        return r.ok() ? r.output().strip() : "exit " + r.exitCode();
    }

    private static String fromLoopback(String path) throws Exception {
        HttpResponse<String> r = server.httpClient(Version.HTTP_2).send(
                HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body() + " " + r.statusCode();
    }

    @Test
    void allowListAdmitsTheNamespaceAndRefusesLoopback() throws Exception {
        assertThat(curlFromNamespace("/lab-only")).isEqualTo("lab 200");
        assertThat(fromLoopback("/lab-only")).endsWith(" 403");
    }

    @Test
    void denyListRefusesTheNamespaceAndAdmitsLoopback() throws Exception {
        assertThat(curlFromNamespace("/not-lab")).endsWith(" 403").doesNotContain("not lab");
        assertThat(fromLoopback("/not-lab")).isEqualTo("not lab 200");
        assertThat(curlFromNamespace("/loopback-only")).endsWith(" 403");
        assertThat(curlFromNamespace("/anything")).isEqualTo("open 200");
    }

    @Test
    void silentDenyClosesTheNamespaceClientsConnection() throws Exception {
        // curl 52: empty reply from server (h2: 16 or 92, stream/connection closed); never an answer.
        assertThat(curlFromNamespace("/not-lab-silent")).startsWith("exit ");
        assertThat(fromLoopback("/not-lab-silent")).isEqualTo("not lab 200");
    }

    @Test
    void accessLogShowsTheRealSourceAddress() throws Exception {
        curlFromNamespace("/lab-only?log=1");
        assertThat(server.accessLogLine("/lab-only?log=1")).contains("\"" + ns.nsAddress() + "\"");
    }
}
