package io.portcullis.cli;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.ConfigProblem;
import io.portcullis.config.PortcullisConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Where a command's config comes from: a file, or the embedded default (HTTPS on localhost, welcome page). */
final class ConfigSource {
    static final String DEFAULT_RESOURCE = "default.yaml";

    private ConfigSource() {
    }

    static PortcullisConfig load(Path file) throws ConfigException {
        if (file != null) {
            return ConfigLoader.load(file);
        }
        return ConfigLoader.loadString(embeddedDefault(), "embedded default", Path.of("").toAbsolutePath());
    }

    static String embeddedDefault() {
        try (InputStream in = ConfigSource.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("embedded default config missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read embedded default config", e);
        }
    }

    /** Prints every problem as {@code file:line:col: message}. */
    static void printProblems(ConfigException e, PrintWriter err) {
        for (ConfigProblem p : e.problems()) {
            err.println(p);
        }
        err.flush();
    }
}
