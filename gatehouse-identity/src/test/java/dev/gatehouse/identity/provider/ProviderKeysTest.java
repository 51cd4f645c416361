package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderKeysTest {
    @TempDir
    Path dir;

    @Test
    void aKeyIsGeneratedOnceAndReadBackFromTheFile() {
        Path file = dir.resolve("keys.json");
        ProviderKeys first = ProviderKeys.loadOrCreate(file, new TestClock(), new SecureRandom());
        ProviderKeys again = ProviderKeys.loadOrCreate(file, new TestClock(), new SecureRandom());
        assertThat(again.signingKey().getKeyID()).isEqualTo(first.signingKey().getKeyID());
        assertThat(again.signingKey().isPrivate()).isTrue();
        assertThat(first.publicKeys().getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
    }

    @Test
    void rotationSignsWithTheNewKeyAndKeepsTwoOlderOnesPublished() {
        Path file = dir.resolve("keys.json");
        ProviderKeys keys = ProviderKeys.loadOrCreate(file, new TestClock(), new SecureRandom());
        String original = keys.signingKey().getKeyID();
        keys.rotate();
        assertThat(keys.signingKey().getKeyID()).isNotEqualTo(original);
        assertThat(keys.publicKeys().getKeyByKeyId(original)).isNotNull();
        keys.rotate();
        keys.rotate();
        assertThat(keys.publicKeys().getKeys()).hasSize(3);
        assertThat(keys.publicKeys().getKeyByKeyId(original)).as("dropped after two newer rotations").isNull();
        assertThat(ProviderKeys.loadOrCreate(file, new TestClock(), new SecureRandom()).signingKey().getKeyID())
                .isEqualTo(keys.signingKey().getKeyID());
    }

    @Test
    void aKeyFileThatIsNotAKeySetStopsTheStart() throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, "not json");
        assertThatThrownBy(() -> ProviderKeys.loadOrCreate(file, new TestClock(), new SecureRandom()))
                .hasMessageContaining("not a JSON Web Key Set");
    }
}
