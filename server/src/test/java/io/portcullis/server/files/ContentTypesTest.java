package io.portcullis.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "index.html|text/html; charset=utf-8",
            "INDEX.HTM|text/html; charset=utf-8",
            "site.css|text/css; charset=utf-8",
            "app.js|text/javascript; charset=utf-8",
            "mod.mjs|text/javascript; charset=utf-8",
            "data.json|application/json; charset=utf-8",
            "app.js.map|application/json; charset=utf-8",
            "logo.svg|image/svg+xml; charset=utf-8",
            "a.png|image/png",
            "a.jpg|image/jpeg",
            "a.JPEG|image/jpeg",
            "a.gif|image/gif",
            "a.webp|image/webp",
            "a.avif|image/avif",
            "favicon.ico|image/x-icon",
            "robots.txt|text/plain; charset=utf-8",
            "feed.xml|application/xml; charset=utf-8",
            "doc.pdf|application/pdf",
            "m.wasm|application/wasm",
            "f.woff|font/woff",
            "f.woff2|font/woff2",
            "f.ttf|font/ttf",
            "v.mp4|video/mp4",
            "v.webm|video/webm",
            "s.mp3|audio/mpeg",
            "s.ogg|audio/ogg",
            "a.zip|application/zip",
            "a.tar.gz|application/gzip",
            "binary|application/octet-stream",
            "file.unknownext|application/octet-stream",
            ".bashrc|application/octet-stream",
            "trailing.|application/octet-stream",
            ".hidden.css|text/css; charset=utf-8",
    })
    void typeByExtension(String name, String type) {
        assertThat(ContentTypes.forFileName(name)).isEqualTo(type);
    }
}
