package dev.gatehouse.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as {@code 500ms}, {@code 30s}, {@code 30m}, {@code 12h}, {@code 7d}, or ISO-8601. */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /** The duration, or null when the text is not one. */
    public static Duration parse(String text) {
        Matcher m = SIMPLE.matcher(text.trim());
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms": return Duration.ofMillis(n);
                    case "s": return Duration.ofSeconds(n);
                    case "m": return Duration.ofMinutes(n);
                    case "h": return Duration.ofHours(n);
                    default: return Duration.ofDays(n);
                }
            } catch (ArithmeticException | NumberFormatException e) {
                // too large for a long or a Duration: not a duration, reported with the key's path
                return null;
            }
        }
        try {
            return Duration.parse(text.trim());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
