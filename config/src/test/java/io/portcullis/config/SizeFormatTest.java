package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizeFormatTest {
    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "1234, 1234",
            "100B, 100",
            "8KiB, 8192",
            "16KiB, 16384",
            "10MiB, 10485760",
            "1GiB, 1073741824",
            "2TiB, 2199023255552",
            "1KB, 1000",
            "10MB, 10000000",
            "3GB, 3000000000",
            "'16 KiB', 16384"})
    void parses(String text, long bytes) {
        assertThat(SizeFormat.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "KiB", "1.5MiB", "-1", "10kib", "10mb", "10 MiB B", "10XB", "10  KiB",
            "99999999999999999999", "9999999999999GiB"})
    void rejects(String text) {
        assertThatThrownBy(() -> SizeFormat.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownUnitIsNamed() {
        assertThatThrownBy(() -> SizeFormat.parse("10kb")).hasMessage("unknown unit kb");
    }

    @Test
    void formats() {
        assertThat(SizeFormat.format(8192)).isEqualTo("8KiB");
        assertThat(SizeFormat.format(10L << 20)).isEqualTo("10MiB");
        assertThat(SizeFormat.format(1L << 30)).isEqualTo("1GiB");
        assertThat(SizeFormat.format(1000)).isEqualTo("1000");
        assertThat(SizeFormat.format(0)).isEqualTo("0");
    }
}
