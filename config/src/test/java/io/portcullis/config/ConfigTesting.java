package io.portcullis.config;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Helpers for loader tests: configs are loaded from strings named {@code test.yaml}. */
final class ConfigTesting {
    static final String FILE = "test.yaml";

    private ConfigTesting() {
    }

    /** Lines joined with newlines, so tests can count lines. */
    static String yaml(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    static PortcullisConfig load(Path baseDir, String... lines) throws ConfigException {
        return ConfigLoader.loadString(yaml(lines), FILE, baseDir);
    }

    /** The problems, each as {@code test.yaml:line:col: message}. */
    static List<String> problems(Path baseDir, String... lines) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(baseDir, lines));
        if (e == null) {
            throw new AssertionError("expected a ConfigException for:\n" + yaml(lines));
        }
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
