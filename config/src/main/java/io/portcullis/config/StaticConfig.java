package io.portcullis.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Serves files below a root directory.
 *
 * @param root           the directory; must exist
 * @param stripPrefix    removed from the request path before it is mapped to a file (e.g. {@code /assets}); default none
 * @param index          file names tried for a directory request; default {@code [index.html]}
 * @param followSymlinks serve links that point outside the root; default false (refused with 404)
 * @param precompressed  serve {@code file.br} / {@code file.gz} siblings when the client accepts them; default true
 */
public record StaticConfig(Path root, String stripPrefix, List<String> index, boolean followSymlinks,
                           boolean precompressed) implements HandlerConfig {
    public StaticConfig {
        index = List.copyOf(index);
    }
}
