package io.portcullis.certs.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTest {
    @TempDir
    Path dir;

    @Test
    void putGetListDeleteRoundTrip() throws IOException {
        FileStorage storage = new FileStorage(dir.resolve("storage"));
        assertThat(storage.get("acme/a/key.pem")).isEmpty();
        storage.put("acme/a/key.pem", bytes("secret"));
        storage.put("acme/a/cert.pem", bytes("public"));
        storage.put("acme/b/meta.json", bytes("{}"));
        storage.put("other/x", bytes("x"));

        assertThat(storage.get("acme/a/key.pem")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("secret")));
        assertThat(storage.exists("acme/a/cert.pem")).isTrue();
        assertThat(storage.list("acme")).containsExactly("acme/a/cert.pem", "acme/a/key.pem", "acme/b/meta.json");
        assertThat(storage.list("acme/a")).containsExactly("acme/a/cert.pem", "acme/a/key.pem");
        assertThat(storage.list("missing")).isEmpty();

        storage.put("acme/a/key.pem", bytes("replaced"));
        assertThat(storage.get("acme/a/key.pem")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("replaced")));
        assertThat(storage.delete("acme/a/key.pem")).isTrue();
        assertThat(storage.delete("acme/a/key.pem")).isFalse();
        assertThat(storage.exists("acme/a/key.pem")).isFalse();
    }

    @Test
    void filesAre0600AndDirectories0700() throws IOException {
        FileStorage storage = new FileStorage(dir.resolve("storage"));
        storage.put("acme/account/account.key", bytes("-----BEGIN PRIVATE KEY-----"));
        Path file = storage.fileOf("acme/account/account.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(storage.root())))
                .isEqualTo("rwx------");
    }

    @Test
    void keysThatEscapeTheRootAreRefused() {
        FileStorage storage = new FileStorage(dir);
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "a/b/", "a b", ""}) {
            assertThatThrownBy(() -> storage.put(bad, bytes("x"))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void lockExcludesASecondHolderUntilReleased() throws Exception {
        FileStorage storage = new FileStorage(dir);
        Locker.Lock first = storage.lock("issue-example.com", Duration.ofMinutes(5), Duration.ZERO);
        assertThatThrownBy(() -> storage.lock("issue-example.com", Duration.ofMinutes(5), Duration.ofMillis(300)))
                .isInstanceOf(IOException.class).hasMessageContaining("held by another instance");
        // Another name is independent.
        storage.lock("issue-other.com", Duration.ofMinutes(5), Duration.ZERO).close();

        CompletableFuture<Locker.Lock> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return storage.lock("issue-example.com", Duration.ofMinutes(5), Duration.ofSeconds(10));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(waiter).isNotDone();
        first.close();
        waiter.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void expiredLockIsTakenOverAndItsOldHolderDoesNotReleaseTheNewOne() throws Exception {
        FileStorage storage = new FileStorage(dir);
        Locker.Lock crashed = storage.lock("renew", Duration.ofMillis(200), Duration.ZERO);
        Thread.sleep(400);
        Locker.Lock next = storage.lock("renew", Duration.ofMinutes(1), Duration.ofSeconds(2));
        crashed.close(); // must not remove the new holder's lock
        assertThatThrownBy(() -> storage.lock("renew", Duration.ofMinutes(1), Duration.ofMillis(200)))
                .isInstanceOf(IOException.class);
        next.close();
        storage.lock("renew", Duration.ofMinutes(1), Duration.ZERO).close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
