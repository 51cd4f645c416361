package dev.gatehouse.identity.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;

/**
 * The store contract on the machine's PostgreSQL (127.0.0.1:5432, trust auth, database {@code test}), each test
 * in a schema of its own ({@code gh_<random>}) that is dropped when the class is done. Without the server the
 * tests are skipped with a message, unless {@code GATEHOUSE_REQUIRE_SERVICES=1}, where they fail.
 */
class PostgresIdentityStoreTest extends IdentityStoreContract {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3";
    private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

    /** Null when the server answered; otherwise why not. Checked once per class. */
    private static volatile String unreachable;
    private static volatile boolean checked;

    /**
     * Per test rather than in {@code @BeforeAll}, so Maven counts every skipped test (a class-level abort shows as
     * zero tests run).
     */
    private static void requirePostgres() {
        if (!checked) {
            try (Connection c = DriverManager.getConnection(SERVER)) {
                c.isValid(3);
            } catch (SQLException e) {
                unreachable = "PostgreSQL is not reachable at 127.0.0.1:5432 (" + e.getMessage() + ")";
                // Printed as well, because Maven's summary counts skipped tests without saying why.
                System.err.println("PostgresIdentityStoreTest skipped: " + unreachable);
            }
            checked = true;
        }
        if (unreachable != null) {
            if ("1".equals(System.getenv("GATEHOUSE_REQUIRE_SERVICES"))) {
                fail(unreachable + "; GATEHOUSE_REQUIRE_SERVICES=1 makes a missing database a failure");
            }
            Assumptions.abort("skipped: " + unreachable);
        }
    }

    @Override
    protected DatabaseSettings newStore() throws SQLException {
        requirePostgres();
        byte[] bits = new byte[6];
        new SecureRandom().nextBytes(bits);
        String schema = "gh_" + HexFormat.of().formatHex(bits);
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        SCHEMAS.add(schema);
        return DatabaseSettings.of(SERVER + "&currentSchema=" + schema).withMaxPoolSize(8);
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        if (SCHEMAS.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            for (String schema : SCHEMAS) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
        SCHEMAS.clear();
    }
}
