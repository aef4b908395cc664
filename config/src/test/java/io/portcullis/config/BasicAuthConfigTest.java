package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicAuthConfigTest {
    private static final String HASH = "$2y$12$" + "a".repeat(53);

    @TempDir
    Path dir;

    @Test
    void usersAndRealm() throws Exception {
        PortcullisConfig c = load(dir,
                "sites: [{hosts: [a.test], routes: [{basic_auth: {users: {alice: \"" + HASH + "\"}}, respond: a}]}]");
        assertThat(c.sites().get(0).routes().get(0).basicAuth())
                .isEqualTo(new BasicAuthConfig("restricted", Map.of("alice", HASH)));
    }

    @Test
    void plainPasswordsAreRefused() {
        assertThat(problems(dir,
                "sites: [{hosts: [a.test], routes: [{basic_auth: {users: {alice: hunter2}}, respond: a}]}]"))
                .singleElement().asString().contains("sites[0].routes[0].basic_auth.users.alice: not a bcrypt hash")
                .contains("portcullis hash-password");
    }
}
