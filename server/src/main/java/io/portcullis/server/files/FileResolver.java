package io.portcullis.server.files;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Maps a request path to a file below the root, and is the one place that decides what may be served. Every refusal is
 * an empty result, which the handler answers with 404: a 403 would tell a prober that the file exists.
 *
 * <p>The server already percent-decodes and normalises the path, but this class does not rely on it (defence in
 * depth): it refuses NUL bytes, backslashes and any {@code .} or {@code ..} segment outright, builds the path segment
 * by segment, and then compares the <em>real</em> path ({@link Path#toRealPath()}, all links resolved) with the root's
 * real path. Links that stay inside the root are always served; links leading out of it only with
 * {@code followSymlinks}. Only regular files and directories are ever returned: opening a FIFO or a device would block
 * the event loop or stream forever.
 *
 * <p>Dot-files are served, as nginx does by default: {@code /.well-known/} must work (ACME, security.txt), and which
 * other dot-files are private is the site's business. Keep secrets and VCS folders out of the root.
 *
 * <p>The root's real path is resolved per request, not cached, so an atomic deploy that swaps a {@code current}
 * symlink to a new release takes effect at once.
 */
public final class FileResolver {

    /**
     * A file or directory that passed the policy.
     *
     * @param mapped     the path as mapped under the configured root (links not resolved): siblings are looked up next
     *                   to it, and its name gives the Content-Type
     * @param real       the real path, to open
     * @param attributes attributes of {@code real}
     */
    public record Resolved(Path mapped, Path real, BasicFileAttributes attributes) {
        public boolean isDirectory() {
            return attributes.isDirectory();
        }

        public String fileName() {
            Path name = mapped.getFileName();
            return name == null ? "" : name.toString();
        }
    }

    private final Path root;
    private final String stripPrefix;
    private final boolean followSymlinks;

    /**
     * @param root           the directory to serve
     * @param stripPrefix    removed from request paths first; {@code null}, empty or {@code /} for none
     * @param followSymlinks whether links may lead outside the root
     */
    public FileResolver(Path root, String stripPrefix, boolean followSymlinks) {
        this.root = root.toAbsolutePath().normalize();
        this.stripPrefix = normalisePrefix(stripPrefix);
        this.followSymlinks = followSymlinks;
    }

    /**
     * The file or directory {@code requestPath} names, or empty if there is none or the policy refuses it.
     *
     * @throws IOException on an I/O error other than "does not exist / not accessible" (the caller answers 500)
     */
    public Optional<Resolved> resolve(String requestPath) throws IOException {
        if (requestPath == null || !requestPath.startsWith("/")) {
            return Optional.empty();
        }
        String relative = requestPath;
        if (!stripPrefix.isEmpty()) {
            if (relative.equals(stripPrefix)) {
                relative = "/";
            } else if (relative.startsWith(stripPrefix + '/')) {
                relative = relative.substring(stripPrefix.length());
            } else {
                return Optional.empty();
            }
        }
        if (relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        Path candidate = root;
        for (String segment : relative.split("/")) {
            if (segment.isEmpty()) {
                continue; // "//" or the leading and trailing slash
            }
            if (!isSafeName(segment)) {
                return Optional.empty();
            }
            try {
                candidate = candidate.resolve(segment);
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }
        return check(candidate);
    }

    /** A named entry (an index file) inside a resolved directory, under the same policy. */
    public Optional<Resolved> resolveIn(Resolved directory, String name) throws IOException {
        if (!isSafeName(name)) {
            return Optional.empty();
        }
        return check(directory.mapped().resolve(name));
    }

    /**
     * The sibling {@code file + suffix} (e.g. {@code app.js.br}) next to the file's mapped path, under the same policy,
     * and only if it is a regular file.
     */
    public Optional<Resolved> sibling(Resolved file, String suffix) throws IOException {
        Path name = file.mapped().getFileName();
        if (name == null || !isSafeName(name + suffix)) {
            return Optional.empty();
        }
        return check(file.mapped().resolveSibling(name + suffix)).filter(r -> r.attributes().isRegularFile());
    }

    /** True for a single path segment that cannot climb or split: not {@code .}/{@code ..}, no separators, no NUL. */
    static boolean isSafeName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    private Optional<Resolved> check(Path mapped) throws IOException {
        // Lexical containment first: cheap, and independent of the file system.
        if (!mapped.normalize().startsWith(root)) {
            return Optional.empty();
        }
        try {
            Path real = mapped.toRealPath();
            if (!followSymlinks && !real.startsWith(root.toRealPath())) {
                return Optional.empty();
            }
            // NOFOLLOW: real has no links left; should one appear now (a swap race), do not follow it.
            BasicFileAttributes attributes =
                    Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() && !attributes.isDirectory()) {
                return Optional.empty();
            }
            return Optional.of(new Resolved(mapped, real, attributes));
        } catch (FileSystemException e) {
            // Missing, permission denied, not a directory, link loop, name too long: all "not found" to the client.
            return Optional.empty();
        }
    }

    private static String normalisePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.strip();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return "";
        }
        return p.startsWith("/") ? p : '/' + p;
    }
}
