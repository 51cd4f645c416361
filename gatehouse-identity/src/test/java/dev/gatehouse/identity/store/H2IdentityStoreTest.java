package dev.gatehouse.identity.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an H2 file database (the embedded default), a new file per test. */
class H2IdentityStoreTest extends IdentityStoreContract {
    @TempDir
    Path dir;

    @Override
    protected DatabaseSettings newStore() {
        return DatabaseSettings.of("jdbc:h2:file:" + dir.resolve("gatehouse").toAbsolutePath());
    }
}
