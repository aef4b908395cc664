package io.portcullis.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileResolverTest {
    @TempDir
    Path base;
    Path root;
    Path outside;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(base.resolve("site"));
        outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(root.resolve("a.txt"), "a");
        Files.createDirectories(root.resolve("dir/sub"));
        Files.writeString(root.resolve("dir/b.txt"), "b");
        Files.writeString(root.resolve(".well-known"), "dot");
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.writeString(base.resolve("site-secret.txt"), "sibling-prefix");
        Files.createSymbolicLink(root.resolve("inside-link.txt"), root.resolve("a.txt"));
        Files.createSymbolicLink(root.resolve("relative-link.txt"), Path.of("dir/b.txt"));
        Files.createSymbolicLink(root.resolve("out-link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("out-dir"), outside);
        Files.createSymbolicLink(root.resolve("up-link.txt"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), base.resolve("nope"));
        Files.createSymbolicLink(root.resolve("loop"), root.resolve("loop"));
    }

    private Optional<FileResolver.Resolved> resolve(String path) throws IOException {
        return new FileResolver(root, null, false).resolve(path);
    }

    @Test
    void mapsPathsBelowTheRoot() throws IOException {
        FileResolver.Resolved a = resolve("/a.txt").orElseThrow();
        assertThat(a.real()).isEqualTo(root.toRealPath().resolve("a.txt"));
        assertThat(a.isDirectory()).isFalse();
        assertThat(a.fileName()).isEqualTo("a.txt");
        assertThat(resolve("/dir/b.txt")).isPresent();
        assertThat(resolve("//dir//b.txt")).isPresent();
        assertThat(resolve("/dir").orElseThrow().isDirectory()).isTrue();
        assertThat(resolve("/").orElseThrow().isDirectory()).isTrue();
    }

    @Test
    void dotFilesAreServed() throws IOException {
        assertThat(resolve("/.well-known")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/missing", "/dir/missing", "/a.txt/x", "relative", "", "/../site-secret.txt",
            "/dir/../../outside/secret.txt", "/./a.txt", "/..", "/a.txt\0.png", "/..\\outside\\secret.txt",
            "/dir\\b.txt", "/dangling", "/loop"})
    void refused(String path) throws IOException {
        assertThat(resolve(path)).isEmpty();
    }

    @Test
    void nullPathIsRefused() throws IOException {
        assertThat(resolve(null)).isEmpty();
    }

    @Test
    void linksInsideTheRootAreServed() throws IOException {
        assertThat(resolve("/inside-link.txt").orElseThrow().real()).isEqualTo(root.toRealPath().resolve("a.txt"));
        assertThat(resolve("/relative-link.txt")).isPresent();
    }

    @Test
    void linksOutOfTheRootAreRefusedUnlessFollowed() throws IOException {
        for (String path : new String[] {"/out-link.txt", "/out-dir/secret.txt", "/out-dir", "/up-link.txt"}) {
            assertThat(resolve(path)).as(path).isEmpty();
            assertThat(new FileResolver(root, null, true).resolve(path)).as(path).isPresent();
        }
    }

    @Test
    void rootThatIsALinkServesItsTarget() throws IOException {
        Path current = Files.createSymbolicLink(base.resolve("current"), root);
        FileResolver resolver = new FileResolver(current, null, false);
        assertThat(resolver.resolve("/a.txt")).isPresent();
        assertThat(resolver.resolve("/out-link.txt")).isEmpty();
        // An atomic deploy swaps the link; the next request sees the new tree.
        Path next = Files.createDirectories(base.resolve("release2"));
        Files.writeString(next.resolve("new.txt"), "new");
        Path tmp = Files.createSymbolicLink(base.resolve("current.tmp"), next);
        Files.move(tmp, current, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(resolver.resolve("/new.txt")).isPresent();
        assertThat(resolver.resolve("/a.txt")).isEmpty();
    }

    @Test
    void specialFilesAreRefused() throws Exception {
        Path fifo = root.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mkfifo.waitFor() == 0) {
            assertThat(resolve("/fifo")).isEmpty();
        }
        assertThat(new FileResolver(Path.of("/dev"), null, false).resolve("/null")).isEmpty();
    }

    @Test
    void stripPrefix() throws IOException {
        for (String prefix : new String[] {"/assets", "/assets/", "assets"}) {
            FileResolver resolver = new FileResolver(root, prefix, false);
            assertThat(resolver.resolve("/assets/a.txt")).as(prefix).isPresent();
            assertThat(resolver.resolve("/assets").orElseThrow().isDirectory()).isTrue();
            assertThat(resolver.resolve("/assets/").orElseThrow().isDirectory()).isTrue();
            assertThat(resolver.resolve("/a.txt")).isEmpty();
            assertThat(resolver.resolve("/assetsa.txt")).isEmpty();
            assertThat(resolver.resolve("/assets/../a.txt")).isEmpty();
        }
        assertThat(new FileResolver(root, "/", false).resolve("/a.txt")).isPresent();
        assertThat(new FileResolver(root, "", false).resolve("/a.txt")).isPresent();
    }

    @Test
    void indexAndSiblingsFollowThePolicy() throws IOException {
        Files.writeString(root.resolve("dir/index.html"), "index");
        Files.writeString(root.resolve("a.txt.gz"), "gz");
        Files.createSymbolicLink(root.resolve("a.txt.br"), outside.resolve("secret.txt"));
        Files.createDirectories(root.resolve("dir/b.txt.gz"));
        FileResolver resolver = new FileResolver(root, null, false);
        FileResolver.Resolved dir = resolver.resolve("/dir").orElseThrow();
        assertThat(resolver.resolveIn(dir, "index.html")).isPresent();
        assertThat(resolver.resolveIn(dir, "../a.txt")).isEmpty();
        assertThat(resolver.resolveIn(dir, "..")).isEmpty();
        FileResolver.Resolved a = resolver.resolve("/a.txt").orElseThrow();
        assertThat(resolver.sibling(a, ".gz")).isPresent();
        assertThat(resolver.sibling(a, ".br")).isEmpty();
        assertThat(resolver.sibling(resolver.resolve("/dir/b.txt").orElseThrow(), ".gz")).isEmpty();
        // The sibling is looked up next to the link, not next to its target.
        FileResolver.Resolved link = resolver.resolve("/inside-link.txt").orElseThrow();
        assertThat(resolver.sibling(link, ".gz")).isEmpty();
    }
}
