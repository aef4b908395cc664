package io.portcullis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpstreamTest {
    private static final long SEC = 1_000_000_000L;

    @Test
    void parsesUris() {
        Upstream a = new Upstream(URI.create("https://api.internal"), 3, Duration.ofSeconds(10));
        assertThat(a.secure()).isTrue();
        assertThat(a.port()).isEqualTo(443);
        assertThat(a.address().isUnresolved()).isTrue();
        assertThat(a.logName()).isEqualTo("api.internal:443");
        Upstream b = new Upstream(URI.create("http://[::1]:8080"), 3, Duration.ofSeconds(10));
        assertThat(b.address().isUnresolved()).isFalse();
        assertThat(b.logName()).isEqualTo("[::1]:8080");
        Upstream c = new Upstream(URI.create("http://10.1.2.3"), 3, Duration.ofSeconds(10));
        assertThat(c.port()).isEqualTo(80);
        assertThat(c.address().isUnresolved()).isFalse();
        assertThatThrownBy(() -> new Upstream(URI.create("ftp://x"), 3, Duration.ofSeconds(1)))
                .hasMessageContaining("expected: http://host:port");
    }

    @Test
    void maxFailsConsecutiveFailuresTakeItOutForFailDuration() {
        Upstream u = new Upstream(URI.create("http://127.0.0.1:1"), 3, Duration.ofSeconds(10));
        assertThat(u.recordFailure(0)).isFalse();
        assertThat(u.recordFailure(SEC)).isFalse();
        assertThat(u.isAvailable(SEC)).isTrue();
        assertThat(u.recordFailure(2 * SEC)).isTrue();
        assertThat(u.isAvailable(3 * SEC)).isFalse();
        assertThat(u.isAvailable(12 * SEC)).isTrue();
        // one probe after the pause: a further failure takes it out again at once
        assertThat(u.recordFailure(12 * SEC)).isTrue();
        assertThat(u.isAvailable(13 * SEC)).isFalse();
        assertThat(u.lastFailNanos()).isEqualTo(12 * SEC);
    }

    @Test
    void successResets() {
        Upstream u = new Upstream(URI.create("http://127.0.0.1:1"), 2, Duration.ofSeconds(10));
        u.recordFailure(0);
        u.recordSuccess();
        assertThat(u.recordFailure(SEC)).isFalse();
        assertThat(u.isAvailable(SEC)).isTrue();
        u.recordFailure(SEC);
        assertThat(u.isAvailable(2 * SEC)).isFalse();
        u.recordSuccess();
        assertThat(u.isAvailable(2 * SEC)).isTrue();
    }
}
