package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
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

    @Test
    void theSigningKeysAgeIsReadBackFromTheFileAndRotationWaitsForThePeriod() {
        Path file = dir.resolve("keys.json");
        TestClock clock = new TestClock();
        ProviderKeys keys = ProviderKeys.loadOrCreate(file, clock, new SecureRandom());
        assertThat(keys.signingKeyCreated()).isEqualTo(clock.instant());
        clock.advance(Duration.ofDays(29));
        ProviderKeys reloaded = ProviderKeys.loadOrCreate(file, clock, new SecureRandom());
        assertThat(reloaded.signingKeyCreated()).as("a restart keeps the age").isEqualTo(keys.signingKeyCreated());
        assertThat(reloaded.rotateIfOlderThan(Duration.ofDays(30))).isFalse();
        clock.advance(Duration.ofDays(1));
        String old = reloaded.signingKey().getKeyID();
        assertThat(reloaded.rotateIfOlderThan(Duration.ofDays(30))).isTrue();
        assertThat(reloaded.signingKeyCreated()).isEqualTo(clock.instant());
        assertThat(reloaded.publicKeys().getKeyByKeyId(old)).isNotNull();
        assertThat(reloaded.rotateIfOlderThan(Duration.ofDays(30))).as("the new key starts a new period").isFalse();
    }

    @Test
    void aKeyFileFromBeforeKeysRecordedTheirAgeIsRotatedOnceAndKeepsItsKeyPublished() throws Exception {
        Path file = dir.resolve("keys.json");
        ECKey legacy = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                .keyID("legacy").generate();
        Files.writeString(file, new JWKSet(legacy).toString(false));
        TestClock clock = new TestClock();
        ProviderKeys keys = ProviderKeys.loadOrCreate(file, clock, new SecureRandom());
        assertThat(keys.signingKeyCreated()).isNull();
        assertThat(keys.rotateIfOlderThan(Duration.ofDays(30))).isTrue();
        assertThat(keys.publicKeys().getKeyByKeyId("legacy")).isNotNull();
        assertThat(ProviderKeys.loadOrCreate(file, clock, new SecureRandom()).rotateIfOlderThan(Duration.ofDays(30)))
                .as("the new key's age is in the file").isFalse();
    }

    @Test
    void aRotationThatCannotWriteTheFileChangesNothing() throws Exception {
        // Signing with a key the file does not hold would make those tokens unverifiable after a restart.
        Path file = dir.resolve("keys.json");
        TestClock clock = new TestClock();
        ProviderKeys keys = ProviderKeys.loadOrCreate(file, clock, new SecureRandom());
        String kid = keys.signingKey().getKeyID();
        Path blocker = dir.resolve("keys.json.tmp");
        Files.createDirectories(blocker.resolve("not-empty"));
        clock.advance(Duration.ofDays(30));
        assertThatThrownBy(() -> keys.rotateIfOlderThan(Duration.ofDays(30)))
                .isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(keys.signingKey().getKeyID()).isEqualTo(kid);
        assertThat(keys.publicKeys().getKeys()).hasSize(1);
    }
}
