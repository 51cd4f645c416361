package dev.gatehouse.identity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultIsAnH2FileUnderData() {
        DatabaseSettings settings = DatabaseSettings.of(DatabaseSettings.DEFAULT_URL);

        assertThat(settings.isH2()).isTrue();
        assertThat(settings.h2File()).contains(Path.of("./data/gatehouse"));
        assertThat(DatabaseSettings.of("jdbc:h2:mem:x").h2File()).isEmpty();
        assertThat(DatabaseSettings.of("jdbc:h2:./x;MODE=PostgreSQL").h2File()).contains(Path.of("./x"));
        assertThat(DatabaseSettings.of("jdbc:postgresql://127.0.0.1/test").h2File()).isEmpty();
    }

    @Test
    void refusesOtherDatabasesWithoutEchoingAPassword() {
        assertThatThrownBy(() -> DatabaseSettings.of("jdbc:mysql://db/x?user=u&password=hunter2hunter2"))
                .hasMessage("the identity database URL must start with jdbc:h2: or jdbc:postgresql: (jdbc:mysql://db/x?user=u&password=***)");
    }

    @Test
    void neverShowsThePassword() {
        DatabaseSettings settings = DatabaseSettings.of("jdbc:postgresql://db/x?user=u&password=hunter2hunter2&ssl=true")
                .withCredentials("u", "s3cret-s3cret");

        assertThat(settings.redactedUrl()).isEqualTo("jdbc:postgresql://db/x?user=u&password=***&ssl=true");
        assertThat(settings.toString()).doesNotContain("hunter2hunter2").doesNotContain("s3cret-s3cret");
    }

    @Test
    void anH2DatabaseInANewDirectoryGetsAnOwnerOnlyDirectory() throws Exception {
        // The directory holds password hashes: other local users must not read it.
        Path file = dir.resolve("data/nested/gatehouse");

        try (IdentityDatabase db = IdentityDatabase.open(DatabaseSettings.of("jdbc:h2:file:" + file))) {
            assertThat(db.migrationsAppliedAtOpen()).isPositive();
        }

        assertThat(Files.exists(dir.resolve("data/nested/gatehouse.mv.db"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/nested")))).isEqualTo("rwx------");
    }

    @Test
    void anUnreachableServerIsAStoreUnavailableFailureThatNamesTheUrlWithoutItsPassword() {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        DatabaseSettings settings = DatabaseSettings.of(
                "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=hunter2hunter2&connectTimeout=2");

        assertThatThrownBy(() -> IdentityDatabase.open(settings))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("cannot open the identity database jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=***")
                .hasMessageContaining("Connection refused")
                .extracting(Throwable::getMessage).asString().doesNotContain("hunter2hunter2");
    }
}
