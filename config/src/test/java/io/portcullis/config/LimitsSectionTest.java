package io.portcullis.config;

import static io.portcullis.config.ConfigTesting.load;
import static io.portcullis.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code limits.max_connections}: the total connection bound. */
class LimitsSectionTest {
    @TempDir
    Path dir;

    @Test
    void totalConnectionsAreBoundedByDefault() throws Exception {
        PortcullisConfig c = load(dir, "sites: [{hosts: [a.test], routes: [{respond: a}]}]");
        assertThat(c.limits().maxConnections()).isEqualTo(16384).isEqualTo(ConfigDefaults.MAX_CONNECTIONS);
        assertThat(load(dir, "limits: {max_connections: 200000}", "sites: [{hosts: [a.test]}]")
                .limits().maxConnections()).isEqualTo(200_000);
    }

    @Test
    void zeroOrTooManyIsAnError() {
        assertThat(problems(dir, "limits: {max_connections: 0}", "sites: [{hosts: [a.test]}]")).containsExactly(
                "test.yaml:1:27: limits.max_connections: 0 is out of range (expected: an integer from 1 to 10000000)");
        assertThat(problems(dir, "limits: {max_connections: lots}", "sites: [{hosts: [a.test]}]"))
                .singleElement().asString().startsWith("test.yaml:1:27: limits.max_connections: lots");
    }
}
