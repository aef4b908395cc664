package io.portcullis.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the config: one or more {@code <integer><unit>} parts, units {@code d}, {@code h},
 * {@code m}, {@code s}, {@code ms}, {@code us} (microseconds), each at most once and from largest to smallest, e.g.
 * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 12h}, {@code 1d}, {@code 1h30m}, {@code 50us}. A bare number is
 * rejected (the unit is never guessed), except {@code 0}.
 */
public final class DurationFormat {
    /** What a valid duration looks like, for "(expected: ...)" messages. */
    public static final String EXPECTED = "a duration like 500ms, 10s, 5m, 12h, 1d or 1h30m";

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|us|d|h|m|s)");
    private static final String[] UNIT_ORDER = {"d", "h", "m", "s", "ms", "us"};

    private DurationFormat() {
    }

    /**
     * @throws IllegalArgumentException with a short reason when the text is not a duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("missing unit");
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        int lastUnit = -1;
        Duration total = Duration.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("not a duration");
            }
            int unit = unitIndex(m.group(2));
            if (unit <= lastUnit) {
                throw new IllegalArgumentException("units must go from largest to smallest, each once");
            }
            lastUnit = unit;
            try {
                long amount = Long.parseLong(m.group(1));
                total = total.plus(of(amount, m.group(2)));
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("too large");
            }
            pos = m.end();
        }
        return total;
    }

    /**
     * The shortest text {@link #parse} reads back as the same duration, e.g. {@code 1h30m}, {@code 500ms},
     * {@code 50us}, {@code 0s}; below a microsecond is dropped.
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + d);
        }
        long us = Math.addExact(Math.multiplyExact(d.toSeconds(), 1_000_000L), d.toNanosPart() / 1000);
        StringBuilder sb = new StringBuilder();
        long[] sizes = {86_400_000_000L, 3_600_000_000L, 60_000_000L, 1_000_000L, 1000L, 1L};
        for (int i = 0; i < sizes.length; i++) {
            long n = us / sizes[i];
            if (n > 0) {
                sb.append(n).append(UNIT_ORDER[i]);
                us -= n * sizes[i];
            }
        }
        return sb.isEmpty() ? "0s" : sb.toString();
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNIT_ORDER.length; i++) {
            if (UNIT_ORDER[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException(unit);
    }

    private static Duration of(long amount, String unit) {
        return switch (unit) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "ms" -> Duration.ofMillis(amount);
            case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
            default -> throw new IllegalStateException(unit);
        };
    }
}
