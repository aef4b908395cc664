package io.portcullis.server.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternTest {
    @ParameterizedTest
    @CsvSource({
            "/api/*, /api/, true",
            "/api/*, /api/v1/users, true",
            "/api/*, /api, false",
            "/api/*, /apix/y, false",
            "/health, /health, true",
            "/health, /health/, false",
            "*.css, /a/b.css, true",
            "*.css, /a/b.cssx, false",
            "/a/*/c, /a/b/c, true",
            "/a/*/c, /a/b/d, false",
            "/a/*/c/*, /a/x/y/c/z, true",
            "*, /anything, true",
            "/a*a, /a, false",
            "/a*a, /aa, true",
    })
    void matches(String pattern, String path, boolean expected) {
        assertThat(PathPattern.of(pattern).matches(path)).isEqualTo(expected);
    }
}
