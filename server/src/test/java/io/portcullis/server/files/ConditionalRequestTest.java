package io.portcullis.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.server.files.ConditionalRequest.Outcome;
import java.util.Date;
import org.junit.jupiter.api.Test;

class ConditionalRequestTest {
    private static final String ETAG = "\"5f5e1000-400\"";
    private static final long MTIME = 1_600_000_000L;
    private static final long NOW = MTIME + 86_400;

    private static String date(long seconds) {
        return DateFormatter.format(new Date(seconds * 1000));
    }

    private static Outcome evaluate(String... pairs) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.add(pairs[i], pairs[i + 1]);
        }
        return ConditionalRequest.evaluate(headers, ETAG, MTIME, NOW);
    }

    @Test
    void noConditionsProceed() {
        assertThat(evaluate()).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifNoneMatchUsesWeakComparisonOverAList() {
        assertThat(evaluate("If-None-Match", ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match", "W/" + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match", "\"other\", " + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match", "\"a,b\",W/\"c\"," + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match", "\"other\"", "If-None-Match", ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match", "*")).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match", "\"other\"")).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-None-Match", "\"5f5e1000-400-br\"")).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifModifiedSince() {
        assertThat(evaluate("If-Modified-Since", date(MTIME))).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-Modified-Since", date(MTIME + 10))).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-Modified-Since", date(MTIME - 1))).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Modified-Since", "not a date")).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifModifiedSinceInTheFutureIsIgnored() {
        assertThat(evaluate("If-Modified-Since", date(NOW + 3600))).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifModifiedSinceAcceptsObsoleteDateFormats() {
        assertThat(evaluate("If-Modified-Since", "Sunday, 13-Sep-20 12:26:40 GMT")).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-Modified-Since", "Sun Sep 13 12:26:40 2020")).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        assertThat(evaluate("If-None-Match", "\"other\"", "If-Modified-Since", date(MTIME)))
                .isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifMatchUsesStrongComparison() {
        assertThat(evaluate("If-Match", ETAG)).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Match", "*")).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Match", "\"x\", " + ETAG)).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Match", "W/" + ETAG)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(evaluate("If-Match", "\"other\"")).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifUnmodifiedSince() {
        assertThat(evaluate("If-Unmodified-Since", date(MTIME))).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Unmodified-Since", date(MTIME - 1))).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(evaluate("If-Unmodified-Since", "garbage")).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifMatchTakesPrecedenceOverIfUnmodifiedSince() {
        assertThat(evaluate("If-Match", ETAG, "If-Unmodified-Since", date(MTIME - 1))).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void preconditionFailureBeatsNotModified() {
        assertThat(evaluate("If-Match", "\"other\"", "If-None-Match", ETAG))
                .isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifRange() {
        assertThat(ConditionalRequest.ifRangeAllows(null, ETAG, MTIME)).isTrue();
        assertThat(ConditionalRequest.ifRangeAllows(ETAG, ETAG, MTIME)).isTrue();
        assertThat(ConditionalRequest.ifRangeAllows("\"other\"", ETAG, MTIME)).isFalse();
        assertThat(ConditionalRequest.ifRangeAllows("W/" + ETAG, ETAG, MTIME)).isFalse();
        assertThat(ConditionalRequest.ifRangeAllows(date(MTIME), ETAG, MTIME)).isTrue();
        assertThat(ConditionalRequest.ifRangeAllows(date(MTIME + 1), ETAG, MTIME)).isFalse();
        assertThat(ConditionalRequest.ifRangeAllows("garbage", ETAG, MTIME)).isFalse();
    }

    @Test
    void parsesTagLists() {
        assertThat(ConditionalRequest.parseTags("\"a\", W/\"b\" ,\"c,d\",bare, \"unterminated"))
                .containsExactly("\"a\"", "W/\"b\"", "\"c,d\"", "\"bare\"");
    }
}
