package io.portcullis.server.files;

import static io.portcullis.server.files.RecordingExchange.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.portcullis.config.StaticConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler's decisions, without sockets: {@link RecordingExchange} stands in for the server. */
class StaticFileHandlerTest {
    @TempDir
    Path root;
    StaticFileHandler handler;
    byte[] content;

    @BeforeEach
    void setUp() throws IOException {
        content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        Files.write(root.resolve("data.bin"), content);
        Files.writeString(root.resolve("hello.txt"), "hello");
        Files.writeString(root.resolve("empty.txt"), "");
        Files.createDirectories(root.resolve("docs/none"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.writeString(root.resolve("app.js"), "console.log(1)");
        Files.writeString(root.resolve("app.js.br"), "BR");
        Files.writeString(root.resolve("app.js.gz"), "GZIP");
        handler = new StaticFileHandler(new StaticConfig(root, null, List.of("index.htm", "index.html"), false, true));
    }

    @Test
    void servesAFileWithValidators() {
        RecordingExchange r = get(handler, "/hello.txt");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("content-length")).isEqualTo("5");
        assertThat(r.header("accept-ranges")).isEqualTo("bytes");
        assertThat(r.header("etag")).matches("\"[0-9a-f]+-5\"");
        assertThat(r.header("last-modified")).endsWith("GMT");
        assertThat(r.header("vary")).isNull();
        assertThat(r.chunkedBody).isTrue();
        assertThat(new String(r.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(r.ended).isTrue();
    }

    @Test
    void streamsLargeFilesIntact() {
        RecordingExchange r = get(handler, "/data.bin");
        assertThat(r.header("content-length")).isEqualTo(String.valueOf(content.length));
        assertThat(r.bytes()).isEqualTo(content);
    }

    @Test
    void emptyFile() {
        RecordingExchange r = get(handler, "/empty.txt");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("content-length")).isEqualTo("0");
        assertThat(r.ended).isTrue();
    }

    @Test
    void headSendsOnlyTheHead() {
        RecordingExchange r = RecordingExchange.run(handler, HttpMethod.HEAD, "/hello.txt",
                new DefaultHttpHeaders().add("range", "bytes=0-1"));
        assertThat(r.code()).as("Range is ignored on HEAD").isEqualTo(200);
        assertThat(r.header("content-length")).isEqualTo("5");
        assertThat(r.bytes()).isEmpty();
        assertThat(r.chunkedBody).isFalse();
        assertThat(r.ended).isTrue();
    }

    @Test
    void otherMethodsAre405() {
        for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS)) {
            RecordingExchange r = RecordingExchange.run(handler, method, "/hello.txt", new DefaultHttpHeaders());
            assertThat(r.code()).isEqualTo(405);
            assertThat(r.header("allow")).isEqualTo("GET, HEAD");
        }
    }

    @Test
    void notFound() {
        for (String path : List.of("/missing", "/hello.txt/", "/docs/none/", "/../etc/passwd", "/a\\b")) {
            RecordingExchange r = get(handler, path);
            assertThat(r.code()).as(path).isEqualTo(404);
            assertThat(r.error).isTrue();
        }
    }

    @Test
    void directoriesRedirectAndServeTheirIndex() {
        RecordingExchange redirect = RecordingExchange.run(handler, HttpMethod.GET, "/docs", "a=1&b=%20",
                new DefaultHttpHeaders());
        assertThat(redirect.code()).isEqualTo(301);
        assertThat(redirect.header("location")).isEqualTo("/docs/?a=1&b=%20");
        RecordingExchange index = get(handler, "/docs/");
        assertThat(index.code()).isEqualTo(200);
        assertThat(index.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(index.bytes(), StandardCharsets.UTF_8)).isEqualTo("<h1>docs</h1>");
    }

    @Test
    void redirectLocationIsEncodedAndCannotBeProtocolRelative() throws IOException {
        Files.createDirectories(root.resolve("a b/évil.com"));
        assertThat(get(handler, "/a b").header("location")).isEqualTo("/a%20b/");
        assertThat(get(handler, "//a b//évil.com").header("location")).isEqualTo("/a%20b/%C3%A9vil.com/");
    }

    @Test
    void conditionalRequests() {
        RecordingExchange first = get(handler, "/hello.txt");
        String etag = first.header("etag");
        String lastModified = first.header("last-modified");
        RecordingExchange inm = get(handler, "/hello.txt", "if-none-match", "\"x\", " + etag);
        assertThat(inm.code()).isEqualTo(304);
        assertThat(inm.header("etag")).isEqualTo(etag);
        assertThat(inm.header("content-length")).isNull();
        assertThat(inm.bytes()).isEmpty();
        assertThat(get(handler, "/hello.txt", "if-modified-since", lastModified).code()).isEqualTo(304);
        assertThat(get(handler, "/hello.txt", "if-none-match", "\"x\"", "if-modified-since", lastModified).code())
                .isEqualTo(200);
        assertThat(get(handler, "/hello.txt", "if-match", "\"x\"").code()).isEqualTo(412);
        assertThat(get(handler, "/hello.txt", "if-unmodified-since",
                DateFormatter.format(new Date(0))).code()).isEqualTo(412);
    }

    @Test
    void ranges() {
        RecordingExchange r = get(handler, "/data.bin", "range", "bytes=10-19");
        assertThat(r.code()).isEqualTo(206);
        assertThat(r.header("content-range")).isEqualTo("bytes 10-19/200000");
        assertThat(r.header("content-length")).isEqualTo("10");
        assertThat(r.bytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 10, 20));

        RecordingExchange suffix = get(handler, "/data.bin", "range", "bytes=-100000");
        assertThat(suffix.header("content-range")).isEqualTo("bytes 100000-199999/200000");
        assertThat(suffix.bytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 100000, 200000));

        RecordingExchange multi = get(handler, "/data.bin", "range", "bytes=0-0,10-10");
        assertThat(multi.code()).as("several ranges get the whole file").isEqualTo(200);
        assertThat(multi.bytes()).isEqualTo(content);

        RecordingExchange unsatisfiable = get(handler, "/data.bin", "range", "bytes=200000-");
        assertThat(unsatisfiable.code()).isEqualTo(416);
        assertThat(unsatisfiable.header("content-range")).isEqualTo("bytes */200000");

        assertThat(get(handler, "/data.bin", "range", "bytes=5-1").code()).isEqualTo(200);
    }

    @Test
    void ifRange() {
        String etag = get(handler, "/data.bin").header("etag");
        assertThat(get(handler, "/data.bin", "range", "bytes=0-9", "if-range", etag).code()).isEqualTo(206);
        assertThat(get(handler, "/data.bin", "range", "bytes=0-9", "if-range", "\"old\"").code()).isEqualTo(200);
    }

    @Test
    void precompressedSiblings() {
        RecordingExchange br = get(handler, "/app.js", "accept-encoding", "gzip, br");
        assertThat(br.header("content-encoding")).isEqualTo("br");
        assertThat(br.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(br.header("vary")).isEqualTo("accept-encoding");
        assertThat(new String(br.bytes(), StandardCharsets.UTF_8)).isEqualTo("BR");
        RecordingExchange gz = get(handler, "/app.js", "accept-encoding", "gzip");
        assertThat(gz.header("content-encoding")).isEqualTo("gzip");
        assertThat(new String(gz.bytes(), StandardCharsets.UTF_8)).isEqualTo("GZIP");
        RecordingExchange identity = get(handler, "/app.js");
        assertThat(identity.header("content-encoding")).isNull();
        assertThat(identity.header("vary")).isEqualTo("accept-encoding");
        assertThat(identity.header("etag")).isNotIn(br.header("etag"), gz.header("etag"));
        // A brotli ETag does not validate the gzip copy.
        assertThat(get(handler, "/app.js", "accept-encoding", "gzip", "if-none-match", br.header("etag")).code())
                .isEqualTo(200);
        RecordingExchange range = get(handler, "/app.js", "accept-encoding", "gzip", "range", "bytes=1-");
        assertThat(range.code()).isEqualTo(206);
        assertThat(range.header("content-range")).isEqualTo("bytes 1-3/4");
    }

    @Test
    void precompressedCanBeTurnedOff() {
        StaticFileHandler off = new StaticFileHandler(new StaticConfig(root, null, List.of("index.html"), false, false));
        RecordingExchange r = get(off, "/app.js", "accept-encoding", "br");
        assertThat(r.header("content-encoding")).isNull();
        assertThat(r.header("vary")).isNull();
    }

    @Test
    void missingRootIs404() {
        StaticFileHandler missing = new StaticFileHandler(
                new StaticConfig(root.resolve("nope"), null, List.of("index.html"), false, true));
        assertThat(get(missing, "/hello.txt").code()).isEqualTo(404);
    }

    @Test
    void indexNamesAreValidated() {
        assertThatThrownBy(() -> new StaticFileHandler(new StaticConfig(root, null, List.of("../x"), false, true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
    }
}
