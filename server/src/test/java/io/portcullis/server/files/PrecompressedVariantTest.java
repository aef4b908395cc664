package io.portcullis.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrecompressedVariantTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "gzip, deflate, br|br|1.0",
            "gzip;q=0.5|gzip|0.5",
            "GZIP ; Q=0.5|gzip|0.5",
            "br;q=0|br|0.0",
            "*|br|1.0",
            "*;q=0.2, gzip;q=0|gzip|0.0",
            "*;q=0.2, gzip;q=0|br|0.2",
            "identity|br|0.0",
            "NULL|gzip|0.0",
            "br;q=2|br|0.0",
            "br;q=abc|br|0.0",
            "br;q=0.0001|br|0.0",
            "br;q=1.000|br|1.0",
    })
    void quality(String header, String coding, double expected) {
        assertThat(PrecompressedVariant.quality(header, coding)).isEqualTo(expected);
    }

    private PrecompressedVariant.Selection select(String file, String acceptEncoding) throws IOException {
        FileResolver resolver = new FileResolver(root, null, false);
        HttpHeaders headers = new DefaultHttpHeaders();
        if (acceptEncoding != null) {
            headers.set("accept-encoding", acceptEncoding);
        }
        return PrecompressedVariant.select(resolver, resolver.resolve(file).orElseThrow(), headers);
    }

    @Test
    void choosesTheBestAcceptedSibling() throws IOException {
        Files.writeString(root.resolve("app.js"), "x".repeat(100));
        Files.writeString(root.resolve("app.js.br"), "b".repeat(10));
        Files.writeString(root.resolve("app.js.gz"), "g".repeat(20));
        Files.writeString(root.resolve("plain.js"), "p");

        PrecompressedVariant.Selection br = select("/app.js", "gzip, deflate, br");
        assertThat(br.representation().contentEncoding()).isEqualTo("br");
        assertThat(br.representation().size()).isEqualTo(10);
        assertThat(br.representation().etag()).endsWith("-br\"");
        assertThat(br.vary()).isTrue();

        PrecompressedVariant.Selection gz = select("/app.js", "gzip");
        assertThat(gz.representation().contentEncoding()).isEqualTo("gzip");
        assertThat(gz.representation().etag()).endsWith("-gzip\"");

        assertThat(select("/app.js", "br;q=0.1, gzip").representation().contentEncoding()).isEqualTo("gzip");
        assertThat(select("/app.js", "x-gzip").representation().contentEncoding()).isEqualTo("gzip");

        PrecompressedVariant.Selection identity = select("/app.js", null);
        assertThat(identity.representation().contentEncoding()).isNull();
        assertThat(identity.representation().size()).isEqualTo(100);
        assertThat(identity.vary()).as("Vary even when the identity is chosen").isTrue();
        assertThat(select("/app.js", "br;q=0, gzip;q=0").representation().contentEncoding()).isNull();

        PrecompressedVariant.Selection plain = select("/plain.js", "br, gzip");
        assertThat(plain.representation().contentEncoding()).isNull();
        assertThat(plain.vary()).isFalse();
    }

    @Test
    void etagsDifferPerEncoding() throws IOException {
        Files.writeString(root.resolve("a.css"), "aaaa");
        Files.writeString(root.resolve("a.css.br"), "bbbb");
        Files.writeString(root.resolve("a.css.gz"), "gggg");
        Files.setLastModifiedTime(root.resolve("a.css.br"), Files.getLastModifiedTime(root.resolve("a.css")));
        Files.setLastModifiedTime(root.resolve("a.css.gz"), Files.getLastModifiedTime(root.resolve("a.css")));
        assertThat(java.util.Set.of(
                select("/a.css", null).representation().etag(),
                select("/a.css", "br").representation().etag(),
                select("/a.css", "gzip").representation().etag())).hasSize(3);
    }
}
