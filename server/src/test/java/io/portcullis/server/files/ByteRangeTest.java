package io.portcullis.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.server.files.ByteRange.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

    private static List<ByteRange> satisfiable(String header, long size) {
        ByteRange.Parsed parsed = ByteRange.parse(header, size);
        assertThat(parsed.outcome()).as(header).isEqualTo(Outcome.SATISFIABLE);
        return parsed.ranges();
    }

    @Test
    void closedRange() {
        assertThat(satisfiable("bytes=0-99", 1000)).containsExactly(new ByteRange(0, 99));
        assertThat(satisfiable("bytes=10-10", 1000)).containsExactly(new ByteRange(10, 10));
    }

    @Test
    void lastPositionIsClampedToSize() {
        assertThat(satisfiable("bytes=900-5000", 1000)).containsExactly(new ByteRange(900, 999));
        assertThat(satisfiable("bytes=0-99999999999999999999999", 1000)).containsExactly(new ByteRange(0, 999));
    }

    @Test
    void openEndedRange() {
        assertThat(satisfiable("bytes=500-", 1000)).containsExactly(new ByteRange(500, 999));
    }

    @Test
    void suffixRange() {
        assertThat(satisfiable("bytes=-100", 1000)).containsExactly(new ByteRange(900, 999));
        assertThat(satisfiable("bytes=-5000", 1000)).containsExactly(new ByteRange(0, 999));
    }

    @Test
    void unitIsCaseInsensitiveAndWhitespaceTolerated() {
        assertThat(satisfiable("Bytes= 0 - 9 ,", 100)).containsExactly(new ByteRange(0, 9));
    }

    @Test
    void overlappingAndAdjacentRangesMerge() {
        assertThat(satisfiable("bytes=100-199,0-99", 1000)).containsExactly(new ByteRange(0, 199));
        assertThat(satisfiable("bytes=0-50,20-30,40-60", 1000)).containsExactly(new ByteRange(0, 60));
        assertThat(satisfiable("bytes=0-9,20-29", 1000)).containsExactly(new ByteRange(0, 9), new ByteRange(20, 29));
    }

    @Test
    void unsatisfiableRangesAreDroppedWhenOthersFit() {
        assertThat(satisfiable("bytes=5000-6000,0-0", 1000)).containsExactly(new ByteRange(0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=5000-,6000-7000"})
    void unsatisfiable(String header) {
        assertThat(ByteRange.parse(header, 1000).outcome()).isEqualTo(Outcome.UNSATISFIABLE);
    }

    @Test
    void emptyRepresentationSatisfiesNothing() {
        assertThat(ByteRange.parse("bytes=0-", 0).outcome()).isEqualTo(Outcome.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-10", 0).outcome()).isEqualTo(Outcome.UNSATISFIABLE);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "bytes=", "bytes=,", "items=0-1", "bytes=5-3", "bytes=a-b", "bytes=1", "bytes=--1",
            "bytes=-", "bytes=0x10-20", "bytes=+1-2", "bytes 0-1", "bytes=1-2-3", "bytes=١-٢"})
    void malformedHeadersAreIgnored(String header) {
        assertThat(ByteRange.parse(header, 1000).outcome()).isEqualTo(Outcome.IGNORE);
    }

    @Test
    void tooManySpecsAreIgnored() {
        String many = "bytes=" + "0-0,".repeat(ByteRange.MAX_SPECS + 1);
        assertThat(ByteRange.parse(many, 1000).outcome()).isEqualTo(Outcome.IGNORE);
        String enough = "bytes=" + "0-0,".repeat(ByteRange.MAX_SPECS);
        assertThat(ByteRange.parse(enough, 1000).outcome()).isEqualTo(Outcome.SATISFIABLE);
    }

    @Test
    void contentRangeAndLength() {
        ByteRange range = new ByteRange(10, 19);
        assertThat(range.length()).isEqualTo(10);
        assertThat(range.contentRange(100)).isEqualTo("bytes 10-19/100");
        assertThatThrownBy(() -> new ByteRange(5, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected");
    }
}
