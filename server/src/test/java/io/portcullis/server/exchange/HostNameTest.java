package io.portcullis.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNameTest {
    @ParameterizedTest
    @CsvSource({
            "example.com, example.com",
            "Example.COM, example.com",
            "example.com:8443, example.com",
            "example.com., example.com",
            "127.0.0.1:443, 127.0.0.1",
            "[::1]:443, [::1]",
            "[2001:db8::1], [2001:db8::1]",
    })
    void parses(String authority, String host) {
        assertThat(HostName.parse(authority)).isEqualTo(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "user@example.com", "exa mple.com", "example.com:", "example.com:99999",
            "example.com:8x", "[::1", "[::1]x", "a\rb", ":443", "ex/ample"})
    void rejects(String authority) {
        assertThat(HostName.parse(authority)).isNull();
    }

    /** "Aa" and "BB" hash alike, so these share a slot of the recent-results cache: each must still get its own. */
    @Test
    void recentResultsNeverAnswerForAnotherAuthority() {
        assertThat("Aa.com:443".hashCode()).isEqualTo("BB.com:443".hashCode());
        for (int i = 0; i < 3; i++) {
            assertThat(HostName.parse("Aa.com:443")).isEqualTo("aa.com");
            assertThat(HostName.parse("BB.com:443")).isEqualTo("bb.com");
            assertThat(HostName.parse("BB.com:44x")).isNull();
        }
    }
}
