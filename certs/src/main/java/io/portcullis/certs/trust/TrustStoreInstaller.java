package io.portcullis.certs.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code portcullis trust} / {@code untrust}: puts the local CA's root into (or takes it out of) the trust stores
 * clients on this machine use: the system store (Debian/Ubuntu {@code /usr/local/share/ca-certificates} +
 * {@code update-ca-certificates}; RHEL/Fedora {@code /etc/pki/ca-trust/source/anchors} + {@code update-ca-trust}) and
 * the running JDK's {@code cacerts} ({@code keytool}, password {@code changeit}). Needs root for the system store.
 * Each step reports what it did; a missing tool is a skipped step, not a failure.
 */
public final class TrustStoreInstaller {
    public static final String FILE_NAME = "portcullis-root.crt";
    public static final String JAVA_ALIAS = "portcullis-root";
    /** The alias Debian's ca-certificates-java hook gives the root when update-ca-certificates adds it. */
    public static final String DEBIAN_JAVA_ALIAS = "debian:portcullis-root.pem";
    /** Where update-ca-certificates links the root (in /etc/ssl/certs, beside its hash link). */
    private static final Path DEBIAN_LINK = Path.of("/etc/ssl/certs/portcullis-root.pem");
    private static final String CACERTS_PASSWORD = "changeit";

    private final Path debianDir;
    private final Path rhelDir;
    private final Path keytool;

    public TrustStoreInstaller() {
        this(Path.of("/usr/local/share/ca-certificates"), Path.of("/etc/pki/ca-trust/source/anchors"),
                Path.of(System.getProperty("java.home"), "bin", "keytool"));
    }

    TrustStoreInstaller(Path debianDir, Path rhelDir, Path keytool) {
        this.debianDir = debianDir;
        this.rhelDir = rhelDir;
        this.keytool = keytool;
    }

    /** One store's outcome, for the command's output. */
    public record Step(String store, boolean ok, String detail) {
        @Override
        public String toString() {
            return (ok ? "ok    " : "FAILED") + "  " + store + ": " + detail;
        }
    }

    public List<Step> install(Path rootPem) {
        List<Step> steps = new ArrayList<>();
        steps.add(system(rootPem));
        steps.add(java(rootPem));
        return steps;
    }

    public List<Step> uninstall() {
        List<Step> steps = new ArrayList<>();
        steps.add(system(null));
        steps.add(java(null));
        return steps;
    }

    /** @param rootPem null to remove */
    private Step system(Path rootPem) {
        Path dir;
        List<String> update;
        if (Files.isDirectory(debianDir)) {
            dir = debianDir;
            update = List.of("update-ca-certificates");
        } else if (Files.isDirectory(rhelDir)) {
            dir = rhelDir;
            update = List.of("update-ca-trust", "extract");
        } else {
            return new Step("system", false, "no known system trust store (neither " + debianDir + " nor " + rhelDir
                    + ")");
        }
        Path target = dir.resolve(FILE_NAME);
        try {
            if (rootPem != null) {
                Path tmp = dir.resolve("." + FILE_NAME + ".tmp");
                Files.copy(rootPem, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                boolean existed = Files.deleteIfExists(target);
                // update-ca-certificates drops a removed local root from the bundle but leaves its link and the
                // OpenSSL hash link (abcd1234.0 -> portcullis-root.pem) behind: remove both by hand.
                if (dir.equals(debianDir) && Files.isDirectory(DEBIAN_LINK.getParent())) {
                    try (var links = Files.list(DEBIAN_LINK.getParent())) {
                        for (Path link : links.filter(Files::isSymbolicLink).toList()) {
                            Path to = Files.readSymbolicLink(link);
                            if (to.equals(target) || to.getFileName().equals(DEBIAN_LINK.getFileName())) {
                                Files.delete(link);
                                existed = true;
                            }
                        }
                    }
                }
                if (!existed) {
                    return new Step("system", true, "not installed (" + target + " absent)");
                }
            }
            Result r = run(update);
            return r.exit == 0 ? new Step("system", true, (rootPem != null ? "installed " : "removed ") + target
                    + " and ran " + String.join(" ", update))
                    : new Step("system", false, String.join(" ", update) + " failed: " + r.output);
        } catch (IOException e) {
            return new Step("system", false, e + (e instanceof java.nio.file.AccessDeniedException
                    ? " (run as root: sudo portcullis " + (rootPem != null ? "trust" : "untrust") + ")" : ""));
        }
    }

    private Step java(Path rootPem) {
        if (!Files.isExecutable(keytool)) {
            return new Step("java", false, keytool + " not found");
        }
        String store = "Java cacerts of " + System.getProperty("java.home");
        try {
            // Remove first: keytool refuses to import onto an existing alias, and a stale root must go anyway.
            Result del = run(List.of(keytool.toString(), "-delete", "-noprompt", "-cacerts", "-storepass",
                    CACERTS_PASSWORD, "-alias", JAVA_ALIAS));
            if (rootPem == null) {
                Result debian = run(List.of(keytool.toString(), "-delete", "-noprompt", "-cacerts", "-storepass",
                        CACERTS_PASSWORD, "-alias", DEBIAN_JAVA_ALIAS));
                return new Step(store, true, del.exit == 0 || debian.exit == 0 ? "removed the root"
                        : "not installed (no alias " + JAVA_ALIAS + ")");
            }
            Result add = run(List.of(keytool.toString(), "-importcert", "-noprompt", "-cacerts", "-storepass",
                    CACERTS_PASSWORD, "-alias", JAVA_ALIAS, "-file", rootPem.toString()));
            return add.exit == 0 ? new Step(store, true, "imported as alias " + JAVA_ALIAS)
                    : new Step(store, false, "keytool -importcert failed: " + add.output);
        } catch (IOException e) {
            return new Step(store, false, e.toString());
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(-1, "interrupted");
        }
    }
}
