package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Basic auth with bcrypt hashes on a route, over HTTP/1.1 and HTTP/2. */
class BasicAuthTest {
    private static final String HASH = OpenBSDBCrypt.generate("2y", "s3cret pass".toCharArray(), new byte[16], 10);

    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml(() -> """
            sites:
              - hosts: [localhost]
                routes:
                  - path: /admin/*
                    basic_auth: {realm: "Admin area", users: {alice: "%s"}}
                    respond: "welcome"
                  - respond: "open"
            """.formatted(HASH));

    private static HttpResponse<String> get(Version v, String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return server.httpClient(v).send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void challengeWrongAndRightPassword(Version v) throws Exception {
        HttpResponse<String> none = get(v, "/admin/x", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate"))
                .hasValue("Basic realm=\"Admin area\", charset=\"UTF-8\"");
        assertThat(get(v, "/admin/x", "alice", "wrong").statusCode()).isEqualTo(401);
        assertThat(get(v, "/admin/x", "mallory", "s3cret pass").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = get(v, "/admin/x", "alice", "s3cret pass");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("welcome");
        assertThat(get(v, "/admin/y", "alice", "s3cret pass").body()).isEqualTo("welcome");
        assertThat(get(v, "/other", null, null).body()).isEqualTo("open");
    }

    @Test
    void failuresAreAuditedAndTheUserIsLogged() throws Exception {
        get(Version.HTTP_1_1, "/admin/audit", "alice", "nope");
        get(Version.HTTP_1_1, "/admin/logged", "alice", "s3cret pass");
        assertThat(server.accessLogLine("/admin/logged")).contains("\"user\":\"alice\"");
        long deadline = System.nanoTime() + 3_000_000_000L;
        var audit = server.dir().resolve("data").resolve("audit.log");
        while (System.nanoTime() < deadline && !(Files.exists(audit) && Files.readString(audit).contains("auth_failed"))) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(audit)).contains("\"event\":\"auth_failed\"").contains("/admin/audit");
    }
}
