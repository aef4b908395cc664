package io.portcullis.certs.storage;

import java.nio.file.Path;

import io.portcullis.config.PortcullisConfig;

/** Where a config keeps its {@link Storage}: {@code <data_dir>/storage} on the file system. */
public final class Storages {
    private Storages() {
    }

    public static FileStorage forConfig(PortcullisConfig config) {
        return new FileStorage(directory(config));
    }

    public static Path directory(PortcullisConfig config) {
        return config.dataDir().resolve("storage");
    }
}
