package io.portcullis.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {
    @ParameterizedTest
    @CsvSource({
            "/, /",
            "/a/b, /a/b",
            "/a/b/, /a/b/",
            "/a//b, /a/b",
            "//a, /a",
            "/a/./b, /a/b",
            "/a/../b, /b",
            "/a/b/.., /a/",
            "/a/b/., /a/b/",
            "/a%20b, /a b",
            "/%61, /a",
            "/a/%2e%2e/b, /b",
            "/a/%2E%2E/b, /b",
            "/a/..%2fb, /b",
            "/caf%C3%A9, /café",
            "/a\\b, /a\\b",
    })
    void normalises(String raw, String expected) {
        // Decoding comes first, so an encoded slash or dot cannot hide a ".." segment from resolution.
        assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "/..", "/../etc/passwd", "/a/../../b", "/%2e%2e/x", "/%00", "/a%zz", "/a%2",
            "/%C3", "/..%2f..%2fetc"})
    void rejects(String raw) {
        assertThat(PathNormalizer.normalize(raw)).isNull();
    }
}
