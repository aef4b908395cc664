package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationFormatTest {
    @ParameterizedTest
    @CsvSource({
            "500ms, 500",
            "10s, 10000",
            "5m, 300000",
            "12h, 43200000",
            "1d, 86400000",
            "1h30m, 5400000",
            "1d2h3m4s5ms, 93784005",
            "0, 0",
            "0s, 0",
            "' 7s ', 7000"})
    void parses(String text, long millis) {
        assertThat(DurationFormat.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void parsesMicroseconds() {
        assertThat(DurationFormat.parse("50us")).isEqualTo(Duration.ofNanos(50_000));
        assertThat(DurationFormat.parse("1ms500us")).isEqualTo(Duration.ofNanos(1_500_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "s", "10x", "1.5s", "-1s", "10 s", "30m1h", "1h1h", "5sec", "1h 30m",
            "99999999999999999999d", "500us1ms", "10µs", "9223372036854776us"})
    void rejects(String text) {
        assertThatThrownBy(() -> DurationFormat.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bareNumberSaysTheUnitIsMissing() {
        assertThatThrownBy(() -> DurationFormat.parse("30")).hasMessage("missing unit");
    }

    @Test
    void formatsShortestForm() {
        assertThat(DurationFormat.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(DurationFormat.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(DurationFormat.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(DurationFormat.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(DurationFormat.format(Duration.ofNanos(50_000))).isEqualTo("50us");
        assertThat(DurationFormat.format(Duration.ofNanos(1_500_000))).isEqualTo("1ms500us");
    }

    @Test
    void formatRoundTrips() {
        for (long ms : new long[] {1, 999, 1000, 61_001, 3_600_000, 90_061_001}) {
            Duration d = Duration.ofMillis(ms);
            assertThat(DurationFormat.parse(DurationFormat.format(d))).isEqualTo(d);
        }
    }
}
