package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BansSectionTest {
    @TempDir
    Path dir;

    @Test
    void http3ProtocolErrorsCanCountTowardsABan() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString("""
                bans:
                  rules:
                    - {on: [http3_protocol_error, malformed_request], count: 5, within: 1m}
                sites: [{hosts: [a.test]}]
                """, "t.yaml", dir);
        assertThat(c.bans().rules().get(0).events()).isEqualTo(Set.of("http3_protocol_error", "malformed_request"));
    }

    /** A typo in an event name used to leave the rule out without a word; it is an error now. */
    @Test
    void unknownEventNamesTheAllowedOnes() {
        assertThatThrownBy(() -> ConfigLoader.loadString("""
                bans:
                  rules:
                    - {on: [http3_error], count: 5}
                sites: [{hosts: [a.test]}]
                """, "t.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.yaml:3:13: bans.rules[0].on[0]: http3_error")
                .hasMessageContaining("http3_protocol_error");
    }
}
