package dev.gatehouse.identity.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open identity database: a HikariCP pool on H2 or PostgreSQL whose schema Flyway has brought up to date
 * ({@code classpath:db/migration}) before {@link #open} returns. Opening again applies nothing new. Hands out the
 * JDBC stores; close it to close the pool (an H2 file is then released for another process).
 */
public final class IdentityDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityDatabase.class);

    private final HikariDataSource dataSource;
    private final Flyway flyway;
    private final int migrationsApplied;

    private IdentityDatabase(HikariDataSource dataSource, Flyway flyway, int migrationsApplied) {
        this.dataSource = dataSource;
        this.flyway = flyway;
        this.migrationsApplied = migrationsApplied;
    }

    /** Connects and migrates; {@link StoreUnavailableException} with the reason when either fails. */
    public static IdentityDatabase open(DatabaseSettings settings) {
        createOwnerOnlyDirectory(settings);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(Math.min(1, settings.maxPoolSize()));
        config.setAutoCommit(false);
        config.setPoolName("gatehouse-identity");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open the identity database " + settings.redactedUrl() + ": "
                    + rootMessage(e), e);
        }
        try {
            Flyway flyway = Flyway.configure(IdentityDatabase.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load();
            int applied = flyway.migrate().migrationsExecuted;
            IdentityDatabase db = new IdentityDatabase(dataSource, flyway, applied);
            LOG.info("Identity database {} at schema version {} ({} migration(s) applied now)",
                    settings.redactedUrl(), db.schemaVersion(), applied);
            return db;
        } catch (FlywayException | StoreUnavailableException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot migrate the identity database " + settings.redactedUrl() + ": "
                    + rootMessage(e), e);
        }
    }

    /**
     * The directory of an H2 file database holds password hashes: when it does not exist yet, create it readable
     * by the owner only (on file systems that have POSIX permissions). An existing directory is left as it is.
     */
    private static void createOwnerOnlyDirectory(DatabaseSettings settings) {
        Optional<Path> file = settings.h2File();
        if (file.isEmpty()) {
            return;
        }
        Path dir = file.get().toAbsolutePath().getParent();
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the directory " + dir + " for the identity database: " + e, e);
        }
    }

    /** A user store whose ids come from {@code random} and whose times come from {@code clock}. */
    public UserStore users(Clock clock, SecureRandom random) {
        return new JdbcUserStore(this, clock, random);
    }

    /** An organization store whose ids come from {@code random} and whose times come from {@code clock}. */
    public OrganizationStore organizations(Clock clock, SecureRandom random) {
        return new JdbcOrganizationStore(this, clock, random);
    }

    /** The embedded provider's refresh tokens (stored as hashes). */
    public RefreshTokenStore refreshTokens() {
        return new JdbcRefreshTokenStore(this);
    }

    /** How many migrations {@link #open} applied: all of them on an empty database, none on a current one. */
    public int migrationsAppliedAtOpen() {
        return migrationsApplied;
    }

    /** The version of the last applied migration, e.g. {@code 1}. */
    public String schemaVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null ? "none" : current.getVersion().getVersion();
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** A unit of work on one connection; its SQLExceptions become a {@link StoreUnavailableException}. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws (a runtime
     * exception it throws, such as {@link EmailTakenException}, passes through unchanged).
     */
    <T> T transaction(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException(what + " failed (SQL state " + e.getSQLState() + ")", e);
        }
    }

    /** Databases keep microseconds; truncating here makes what a store returns equal what it reads back. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Written as UTC offsets, so H2 and PostgreSQL store and return the same instant. */
    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** PostgreSQL says 23503, H2 says 23506 (parent missing) for a reference to a row that is not there. */
    static boolean isMissingReference(SQLException e) {
        return "23503".equals(e.getSQLState()) || "23506".equals(e.getSQLState());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Objects.requireNonNullElse(root.getMessage(), root.getClass().getSimpleName());
    }
}
