package io.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpDateTest {
    @Test
    void imfFixdateWithATwoDigitDayInGmt() {
        assertThat(HttpDate.at(0).toString()).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(HttpDate.at(1_796_434_963_999L).toString()).isEqualTo("Sat, 05 Dec 2026 01:42:43 GMT");
    }

    @Test
    void formattedOnceASecond() {
        long t = 1_796_434_963_000L;
        assertThat((Object) HttpDate.at(t + 10)).isSameAs(HttpDate.at(t + 990));
        assertThat(HttpDate.at(t + 1000).toString()).isEqualTo("Sat, 05 Dec 2026 01:42:44 GMT");
    }
}
