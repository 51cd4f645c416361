package dev.gatehouse.identity.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the identity data lives: a JDBC URL for H2 ({@code jdbc:h2:...}) or PostgreSQL
 * ({@code jdbc:postgresql://...}), optional credentials and the pool size. The password never shows in
 * {@link #toString()} or {@link #redactedUrl()}.
 */
public record DatabaseSettings(String url, String user, String password, int maxPoolSize) {
    /** The embedded default: an H2 file under {@code ./data}, relative to the working directory. */
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/gatehouse";

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the identity database URL must start with jdbc:h2: or jdbc:postgresql: ("
                    + redact(url) + ")");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1: " + maxPoolSize);
        }
    }

    public static DatabaseSettings of(String url) {
        return new DatabaseSettings(url, null, null, 4);
    }

    public DatabaseSettings withCredentials(String newUser, String newPassword) {
        return new DatabaseSettings(url, newUser, newPassword, maxPoolSize);
    }

    public DatabaseSettings withMaxPoolSize(int size) {
        return new DatabaseSettings(url, user, password, size);
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /**
     * The file of an H2 file database ({@code jdbc:h2:file:./data/gatehouse} or {@code jdbc:h2:./data/gatehouse}),
     * without H2's {@code .mv.db} suffix; empty for in-memory and server URLs and for PostgreSQL.
     */
    public Optional<Path> h2File() {
        if (!isH2()) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        int options = rest.indexOf(';');
        if (options >= 0) {
            rest = rest.substring(0, options);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:")
                || rest.isEmpty()) {
            return Optional.empty();
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return Optional.of(Path.of(rest));
    }

    /** The URL with any {@code password=} parameter blanked out, for messages and logs. */
    public String redactedUrl() {
        return redact(url);
    }

    private static String redact(String url) {
        return URL_PASSWORD.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + redactedUrl() + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
