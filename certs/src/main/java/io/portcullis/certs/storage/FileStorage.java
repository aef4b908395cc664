package io.portcullis.certs.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import io.portcullis.tls.SecureFiles;

/**
 * {@link Storage} and {@link Locker} in a directory (default {@code <data_dir>/storage}): one file per key, every file
 * mode 0600 and every directory 0700 from the moment it exists (the blobs include private keys, and telling secret
 * from public by name is a mistake waiting to happen), each replaced by an atomic rename.
 *
 * <p>A lock is a file {@code locks/<name>.lock} created with {@code CREATE_NEW} (atomic on local file systems and
 * NFSv3+), holding its owner token and expiry; a waiter that finds it expired deletes it and tries again.
 */
public final class FileStorage implements Storage, Locker {
    private static final Duration POLL = Duration.ofMillis(100);

    private final Path root;
    private final Clock clock;

    public FileStorage(Path root) {
        this(root, Clock.systemUTC());
    }

    FileStorage(Path root, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    /** The file that holds {@code key} (for diagnostics and tests). */
    public Path fileOf(String key) {
        return root.resolve(Storage.checkKey(key));
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(fileOf(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, byte[] value) throws IOException {
        Path file = fileOf(key);
        SecureFiles.createPrivateDirectories(file.getParent());
        SecureFiles.writeAtomically(file, value, SecureFiles.OWNER_ONLY);
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(fileOf(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(fileOf(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = fileOf(prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".")) // temporaries of atomic writes
                    .forEach(p -> keys.add(root.relativize(p).toString().replace('\\', '/')));
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public Lock lock(String name, Duration ttl, Duration maxWait) throws IOException, InterruptedException {
        Path file = fileOf("locks/" + name + ".lock");
        SecureFiles.createPrivateDirectories(file.getParent());
        String token = UUID.randomUUID().toString();
        Instant giveUp = clock.instant().plus(maxWait);
        while (true) {
            Instant expires = clock.instant().plus(ttl);
            try {
                Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        SecureFiles.OWNER_ONLY)), token + "\n" + expires + "\n", StandardCharsets.UTF_8);
                return () -> release(file, token);
            } catch (FileAlreadyExistsException held) {
                if (isExpired(file)) {
                    Files.deleteIfExists(file);
                    continue;
                }
            }
            if (clock.instant().isAfter(giveUp)) {
                throw new IOException("lock " + name + " is held by another instance (" + file + "); gave up after "
                        + maxWait.toSeconds() + " s");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private boolean isExpired(Path file) throws IOException {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            // A lock file caught between create and write has no expiry yet: it is fresh, not broken.
            return lines.size() >= 2 && clock.instant().isAfter(Instant.parse(lines.get(1).strip()));
        } catch (NoSuchFileException gone) {
            return false; // released meanwhile: the next createFile decides
        } catch (RuntimeException unreadable) {
            return true;
        }
    }

    private static void release(Path file, String token) throws IOException {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.get(0).equals(token)) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException gone) {
            // expired and cleaned up by someone else
        }
    }
}
