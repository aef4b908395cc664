package io.portcullis.certs.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Keyed blobs where Portcullis keeps what it creates for certificates: ACME account keys, certificate keys and chains,
 * renewal metadata. Keys are slash-separated paths of safe segments ({@code acme/<ca>/sites/<name>/cert.pem}). Every
 * instance sharing one backend (several servers behind one name) sees the same blobs, so the file implementation is
 * the single-machine default and a networked one (Redis) plugs in for clusters.
 *
 * <p>Values may be secret (private keys): implementations keep them readable only by the server's user.
 */
public interface Storage {
    /** The value under {@code key}, or empty when there is none. */
    Optional<byte[]> get(String key) throws IOException;

    /** Stores {@code value} under {@code key}, replacing any old value atomically (readers see old or new, whole). */
    void put(String key, byte[] value) throws IOException;

    /** Removes {@code key}; returns whether it existed. */
    boolean delete(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Every key that starts with {@code prefix} followed by a slash (recursively), sorted; empty when none. */
    List<String> list(String prefix) throws IOException;

    /** Checks a key's syntax: non-empty segments of letters, digits, {@code . _ - @}, none {@code .} or {@code ..}. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException("storage key " + key + " (expected: segments separated by /)");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || !segment.matches("[A-Za-z0-9._@-]+")) {
                throw new IllegalArgumentException("storage key " + key + ": bad segment '" + segment
                        + "' (expected: letters, digits, . _ - @)");
            }
        }
        return key;
    }
}
