package io.portcullis.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as written in the config: a plain integer is bytes; otherwise an integer followed (optionally after one
 * space) by a unit: {@code B}, {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB} (powers of 1024) or {@code KB},
 * {@code MB}, {@code GB}, {@code TB} (powers of 1000). Units are case-sensitive so that {@code mb} (millibits?) is
 * never guessed.
 */
public final class SizeFormat {
    /** What a valid size looks like, for "(expected: ...)" messages. */
    public static final String EXPECTED = "a size: bytes, or a number with B, KiB, MiB, GiB, KB, MB or GB, like 16KiB";

    private static final Pattern SIZE = Pattern.compile("(\\d+) ?([A-Za-z]*)");

    private SizeFormat() {
    }

    /**
     * @throws IllegalArgumentException with a short reason when the text is not a size
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty size");
        }
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size");
        }
        long multiplier = multiplier(m.group(2));
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("too large");
        }
    }

    /** A short exact form: the largest binary unit that divides the size, e.g. {@code 16KiB}, {@code 1000}. */
    public static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (4 - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }

    private static long multiplier(String unit) {
        return switch (unit) {
            case "", "B" -> 1L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
