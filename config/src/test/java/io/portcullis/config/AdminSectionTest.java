package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminSectionTest {
    @TempDir
    Path dir;

    @Test
    void defaultsToLoopbackPort2019() throws Exception {
        assertThat(load(dir, "sites:", "  - hosts: [localhost]").admin())
                .isEqualTo(new AdminConfig(true, "127.0.0.1", 2019));
    }

    @Test
    void readsEveryField() throws Exception {
        assertThat(load(dir, "admin: {enabled: false, address: \"::1\", port: 0}", "sites:", "  - hosts: [localhost]")
                .admin()).isEqualTo(new AdminConfig(false, "::1", 0));
    }

    @Test
    void refusesANonLoopbackAddress() {
        assertThat(problems(dir, "admin: {address: 0.0.0.0}", "sites:", "  - hosts: [localhost]")).containsExactly(
                "test.yaml:1:18: admin.address: 0.0.0.0 (expected: a loopback address: 127.0.0.1, ::1 or localhost "
                        + "(the admin API has no authentication))");
    }
}
