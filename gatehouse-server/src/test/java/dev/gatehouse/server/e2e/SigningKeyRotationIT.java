package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation across gateway restarts on one key file. The harness clock does not tick, so each restart starts
 * it exactly where the test says; the gateway checks rotation at start. Each restart listens on a new port, so
 * the issuer of earlier tokens differs from the current one; what is under test here is which keys are published.
 */
class SigningKeyRotationIT {
    static final String TEMPLATES = "token_templates:\n  billing:\n    audience: billing-api\n    lifetime: 60s";
    static final String ROUTES = "  - {match: /api/billing/**, upstream: %API%, access: authenticated, token: {template: billing}}\n"
            + "  - {match: /**, upstream: %SPA%, access: public}";

    @TempDir
    Path dir;

    private GatewayHarness start(Path keyFile, Instant clock, String signing) throws Exception {
        GatewayHarness.Builder b = GatewayHarness.builder().keyFile(keyFile).signing(signing).yaml(TEMPLATES).routes(ROUTES);
        return (clock == null ? b : b.clockAt(clock)).start();
    }

    /** Signs in (with provider tokens valid well past the moved clock) and returns the minted billing token. */
    static String mint(GatewayHarness h, String user) {
        Browser b = h.user(user).tokensExpireIn(6 * 3600).signIn();
        Browser.Response r = b.get("/api/billing/x");
        assertThat(r.status()).isEqualTo(200);
        return h.api.last().header("authorization").substring(7);
    }

    static String jwks(GatewayHarness h) {
        Browser.Response r = h.browser().get("/.well-known/jwks.json");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private static List<String> kids(String jwks) throws Exception {
        List<String> out = new ArrayList<>();
        for (JWK k : JWKSet.parse(jwks).getKeys()) {
            out.add(k.getKeyID());
        }
        return out;
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    /** Verification as a service does it: the key named by kid, from the JWKS it fetched. */
    private static boolean verifies(String token, String jwks) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        if (key == null) {
            return false;
        }
        return key instanceof ECKey ec ? jwt.verify(new ECDSAVerifier(ec)) : jwt.verify(new RSASSAVerifier((RSAKey) key));
    }

    @Test
    void rotationPublishesTheNewKeyKeepsTheOldOneUntilItsTokensExpiredThenDropsIt() throws Exception {
        // M-05: services must verify every unexpired token across a rotation, and a retired key must not live forever.
        Path keyFile = dir.resolve("keys").resolve("signing-keys.json");
        String oldToken;
        String oldKid;
        Instant started;
        try (GatewayHarness h = start(keyFile, null, "rotation: 1h")) {
            started = h.clock.instant();
            oldToken = mint(h, "alice");
            oldKid = kid(oldToken);
            assertThat(kids(jwks(h))).containsExactly(oldKid);
        }

        Instant rotation = started.plus(Duration.ofHours(1));
        String newToken;
        try (GatewayHarness h = start(keyFile, rotation, "rotation: 1h")) {
            String published = jwks(h);
            newToken = mint(h, "bob");
            String newKid = kid(newToken);
            assertThat(newKid).isNotEqualTo(oldKid);
            assertThat(kids(published)).containsExactly(oldKid, newKid);
            assertThat(verifies(oldToken, published)).as("a token signed before the rotation still verifies").isTrue();
            assertThat(verifies(newToken, published)).isTrue();
        }

        // Longest token lifetime (60 s) plus five minutes of overlap after the rotation, the old key is gone.
        try (GatewayHarness h = start(keyFile, rotation.plus(Duration.ofSeconds(60)).plus(Duration.ofMinutes(5)), "rotation: 1h")) {
            String published = jwks(h);
            assertThat(kids(published)).containsExactly(kid(newToken));
            assertThat(verifies(oldToken, published)).isFalse();
            assertThat(verifies(newToken, published)).isTrue();
            assertThat(kid(mint(h, "carol"))).isEqualTo(kid(newToken));
        }
    }

    @Test
    void restartKeepsTheKeySoIssuedTokensStayValid() throws Exception {
        // A restart that generated a new key would invalidate every token services hold.
        Path keyFile = dir.resolve("signing-keys.json");
        String token;
        Instant started;
        try (GatewayHarness h = start(keyFile, null, "")) {
            started = h.clock.instant();
            token = mint(h, "dave");
        }
        try (GatewayHarness h = start(keyFile, started.plus(Duration.ofMinutes(10)), "")) {
            String published = jwks(h);
            assertThat(kids(published)).containsExactly(kid(token));
            assertThat(verifies(token, published)).isTrue();
            assertThat(kid(mint(h, "erin"))).isEqualTo(kid(token));
        }
        assertThat(Files.readString(keyFile)).contains(kid(token));
    }

    @Test
    void rs256SignsWhenConfiguredAndTheJwksPublishesOnlyPublicKeys() throws Exception {
        // Some service stacks only do RSA; M-04: whatever the algorithm, the JWKS never carries private parts.
        try (GatewayHarness h = start(dir.resolve("rsa.json"), null, "algorithm: RS256")) {
            String token = mint(h, "frank");
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
            String published = jwks(h);
            assertThat(JWKSet.parse(published).getKeyByKeyId(kid(token))).isInstanceOf(RSAKey.class);
            assertThat(verifies(token, published)).isTrue();
            for (JWK key : JWKSet.parse(published).getKeys()) {
                assertThat(key.isPrivate()).isFalse();
            }
            assertThat(new JsonObject(published).encode()).doesNotContain("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"");
        }
    }

    @Test
    void discoveryNamesTheIssuerAndTheJwksUriOfTheTokens() throws Exception {
        // Standard libraries find keys from the issuer alone; the metadata must match what the tokens say.
        try (GatewayHarness h = start(dir.resolve("es.json"), null, "")) {
            String token = mint(h, "grace");
            Browser.Response r = h.browser().get("/.well-known/openid-configuration");
            assertThat(r.status()).isEqualTo(200);
            JsonObject metadata = new JsonObject(r.body());
            assertThat(metadata.getString("issuer")).isEqualTo(SignedJWT.parse(token).getJWTClaimsSet().getIssuer());
            assertThat(metadata.getString("jwks_uri")).isEqualTo(h.baseUrl() + "/.well-known/jwks.json");
            String published = jwks(h);
            for (JWK key : JWKSet.parse(published).getKeys()) {
                assertThat(key.isPrivate()).isFalse();
            }
            assertThat(published).doesNotContain("\"d\"");
            assertThat(h.browser().get("/.well-known/jwks.json").header("content-type")).hasValue("application/jwk-set+json");
        }
    }
}
