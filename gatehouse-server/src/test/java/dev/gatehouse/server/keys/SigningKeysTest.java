package dev.gatehouse.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.server.config.GatewayConfig.Algorithm;
import dev.gatehouse.server.e2e.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
    private static final Duration ROTATION = Duration.ofHours(1);
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private Path keyFile() {
        return dir.resolve("data").resolve("signing-keys.json");
    }

    private SigningKeys start(Algorithm algorithm) throws Exception {
        return new SigningKeys(new FileSigningKeyStore(keyFile()), algorithm, ROTATION, MAX_LIFETIME, clock).start();
    }

    private static String sign(SigningKeys keys) throws Exception {
        SigningKeys.Current current = keys.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(current.algorithm()).keyID(current.keyId()).build(),
                new JWTClaimsSet.Builder().subject("alice").build());
        jwt.sign(current.signer());
        return jwt.serialize();
    }

    /** Verifies a token the way a service does: pick the key by kid from the published JWKS. */
    private static boolean verifiesWith(String token, String jwksJson) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = JWKSet.parse(jwksJson).getKeyByKeyId(jwt.getHeader().getKeyID());
        if (key == null) {
            return false;
        }
        return key instanceof ECKey ec ? jwt.verify(new ECDSAVerifier(ec)) : jwt.verify(new RSASSAVerifier((RSAKey) key));
    }

    @Test
    void firstStartGeneratesAndPersistsAnEs256Key() throws Exception {
        SigningKeys keys = start(Algorithm.ES256);

        assertThat(keys.current().algorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(Files.exists(keyFile())).isTrue();
        JWKSet published = JWKSet.parse(keys.jwksJson());
        assertThat(published.getKeys()).hasSize(1);
        JWK key = published.getKeys().get(0);
        assertThat(key.getKeyID()).isEqualTo(keys.current().keyId());
        assertThat(key.getKeyType()).isEqualTo(KeyType.EC);
        assertThat(((ECKey) key).getCurve()).isEqualTo(Curve.P_256);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(verifiesWith(sign(keys), keys.jwksJson())).isTrue();
    }

    @Test
    void keyFileIsOwnerOnlyInADirectoryCreatedOwnerOnly() throws Exception {
        start(Algorithm.ES256);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile().getParent()))).isEqualTo("rwx------");
        assertThat(Files.exists(keyFile().resolveSibling("signing-keys.json.tmp"))).isFalse();
    }

    @Test
    void keyFileStaysOwnerOnlyAfterRotationRewritesIt() throws Exception {
        SigningKeys keys = start(Algorithm.ES256);
        clock.advance(ROTATION);
        keys.rotateIfDue();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
    }

    @Test
    void publishedKeysHoldNoPrivatePart() throws Exception {
        SigningKeys es = start(Algorithm.ES256);
        for (JWK key : JWKSet.parse(es.jwksJson()).getKeys()) {
            assertThat(key.isPrivate()).isFalse();
        }
        assertThat(es.jwksJson()).doesNotContain("\"d\"");
        Files.delete(keyFile());
        SigningKeys rs = start(Algorithm.RS256);
        assertThat(rs.jwksJson()).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"q\"");
    }

    @Test
    void restartLoadsTheSameKey() throws Exception {
        SigningKeys first = start(Algorithm.ES256);
        String token = sign(first);
        clock.advance(Duration.ofMinutes(5));

        SigningKeys second = start(Algorithm.ES256);

        assertThat(second.current().keyId()).isEqualTo(first.current().keyId());
        assertThat(second.publishedKeyIds()).containsExactly(first.current().keyId());
        assertThat(verifiesWith(token, second.jwksJson())).isTrue();
        assertThat(verifiesWith(sign(second), first.jwksJson())).isTrue();
    }

    @Test
    void rs256IsAnOption() throws Exception {
        SigningKeys keys = start(Algorithm.RS256);

        assertThat(keys.current().algorithm()).isEqualTo(JWSAlgorithm.RS256);
        RSAKey key = (RSAKey) JWKSet.parse(keys.jwksJson()).getKeyByKeyId(keys.current().keyId());
        assertThat(key.size()).isGreaterThanOrEqualTo(2048);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(verifiesWith(sign(keys), keys.jwksJson())).isTrue();
        assertThat(start(Algorithm.RS256).current().keyId()).isEqualTo(keys.current().keyId());
    }

    @Test
    void keyKeepsSigningUntilTheRotationPeriodEnds() throws Exception {
        SigningKeys keys = start(Algorithm.ES256);
        String kid = keys.current().keyId();
        clock.advance(ROTATION.minusSeconds(1));

        keys.rotateIfDue();

        assertThat(keys.current().keyId()).isEqualTo(kid);
        assertThat(keys.publishedKeyIds()).containsExactly(kid);
    }

    @Test
    void afterRotationANewKeySignsAndTheOldOneStaysPublished() throws Exception {
        SigningKeys keys = start(Algorithm.ES256);
        String oldKid = keys.current().keyId();
        String oldToken = sign(keys);
        clock.advance(ROTATION);

        keys.rotateIfDue();

        String newKid = keys.current().keyId();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(keys.publishedKeyIds()).containsExactly(oldKid, newKid);
        assertThat(SignedJWT.parse(sign(keys)).getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(verifiesWith(oldToken, keys.jwksJson())).isTrue();
        // The rotation is persisted: a restart signs with the new key and still publishes the old one.
        SigningKeys restarted = start(Algorithm.ES256);
        assertThat(restarted.current().keyId()).isEqualTo(newKid);
        assertThat(restarted.publishedKeyIds()).containsExactly(oldKid, newKid);
    }

    @Test
    void retiredKeyIsDroppedOnlyAfterTheLongestTokenLifetimePlusOverlap() throws Exception {
        SigningKeys keys = start(Algorithm.ES256);
        String oldKid = keys.current().keyId();
        String oldToken = sign(keys);
        clock.advance(ROTATION);
        keys.rotateIfDue();
        String newKid = keys.current().keyId();

        clock.advance(MAX_LIFETIME.plus(SigningKeys.OVERLAP).minusSeconds(1));
        keys.rotateIfDue();
        assertThat(keys.publishedKeyIds()).containsExactly(oldKid, newKid);

        clock.advance(Duration.ofSeconds(1));
        keys.rotateIfDue();
        assertThat(keys.publishedKeyIds()).containsExactly(newKid);
        assertThat(keys.current().keyId()).isEqualTo(newKid);
        assertThat(verifiesWith(oldToken, keys.jwksJson())).isFalse();
        assertThat(Files.readString(keyFile())).doesNotContain(oldKid);
    }

    @Test
    void restartLongAfterRotationDueRotatesAndDropsAtStart() throws Exception {
        String firstKid = start(Algorithm.ES256).current().keyId();
        clock.advance(ROTATION.plusMinutes(1));
        SigningKeys second = start(Algorithm.ES256);
        String secondKid = second.current().keyId();
        assertThat(secondKid).isNotEqualTo(firstKid);
        assertThat(second.publishedKeyIds()).containsExactly(firstKid, secondKid);

        clock.advance(MAX_LIFETIME.plus(SigningKeys.OVERLAP));
        SigningKeys third = start(Algorithm.ES256);

        assertThat(third.publishedKeyIds()).containsExactly(secondKid);
        assertThat(third.current().keyId()).isEqualTo(secondKid);
    }

    @Test
    void keyFileOfTheOtherAlgorithmTriggersANewKey() throws Exception {
        SigningKeys es = start(Algorithm.ES256);
        String esKid = es.current().keyId();
        String esToken = sign(es);

        SigningKeys rs = start(Algorithm.RS256);

        assertThat(rs.current().keyId()).isNotEqualTo(esKid);
        assertThat(rs.current().algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(JWKSet.parse(rs.jwksJson()).getKeyByKeyId(rs.current().keyId())).isInstanceOf(RSAKey.class);
        // Tokens the EC key signed stay verifiable until they expire.
        assertThat(verifiesWith(esToken, rs.jwksJson())).isTrue();
        clock.advance(MAX_LIFETIME.plus(SigningKeys.OVERLAP));
        rs.rotateIfDue();
        assertThat(rs.publishedKeyIds()).containsExactly(rs.current().keyId());
    }

    @Test
    void storedKeyDescribesItselfWithoutKeyMaterial() throws Exception {
        start(Algorithm.ES256);
        StoredKey stored = new FileSigningKeyStore(keyFile()).load().get(0);
        String d = ((ECKey) stored.key()).getD().toString();

        assertThat(stored.toString()).contains(stored.key().getKeyID()).doesNotContain(d);
        assertThat(stored.key().isPrivate()).isTrue();
        assertThat(Map.of("k", stored).toString()).doesNotContain(d);
    }
}
