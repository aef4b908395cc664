package io.portcullis.server.guard.ban;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ban list on disk, {@code <data_dir>/bans.txt}: one ban a line, {@code address until strikes reason}, with
 * {@code until} in ISO-8601 UTC; {@code #} starts a comment. Plain text so an operator can read and edit it; both the
 * server and {@code portcullis ban} use this class. Writes go to a temporary file that replaces the old one, so a
 * reader never sees half a list.
 */
public final class BanFile {
    public static final String NAME = "bans.txt";

    private BanFile() {
    }

    public static Path in(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    /** The bans in the file; none when it does not exist. Malformed lines are skipped. */
    public static List<Ban> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Ban> out = new ArrayList<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] parts = t.split("\\s+", 4);
            if (parts.length < 3) {
                continue;
            }
            try {
                out.add(new Ban(parts[0], Instant.parse(parts[1]), Integer.parseInt(parts[2]),
                        parts.length > 3 ? parts[3] : ""));
            } catch (DateTimeParseException | NumberFormatException e) {
                // an operator's typo must not drop the other bans
            }
        }
        return out;
    }

    public static void write(Path file, List<Ban> bans) throws IOException {
        StringBuilder sb = new StringBuilder("# address until strikes reason (written by portcullis)\n");
        for (Ban b : bans) {
            sb.append(b.address()).append(' ').append(b.until()).append(' ').append(b.strikes()).append(' ')
                    .append(b.reason().replace('\n', ' ')).append('\n');
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
