package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services written in other languages verify Gatehouse tokens with their own JWT library. Node's {@code jose}
 * ({@code src/test/node}, installed by {@code .ci/run}) fetches the keys from the gateway's JWKS URL, found through
 * the discovery document, and checks signature, {@code typ}, issuer, audience and time.
 */
class JoseInteropIT {
    static final Path NODE_DIR = Path.of(System.getProperty("basedir", ".")).resolve("src/test/node");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsNodeAndJose() {
        String missing = null;
        if (!Files.isRegularFile(NODE_DIR.resolve("node_modules/jose/package.json"))) {
            missing = "the jose package (cd gatehouse-server/src/test/node && npm ci)";
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                missing = "a working node";
            }
        } catch (IOException e) {
            missing = "node on the PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (missing == null) {
            return;
        }
        if ("1".equals(System.getenv("GATEHOUSE_REQUIRE_SERVICES"))) {
            fail("JoseInteropIT needs " + missing + "; GATEHOUSE_REQUIRE_SERVICES=1 makes that a failure");
        }
        System.err.println("JoseInteropIT skipped: needs " + missing);
        Assumptions.abort("skipped: needs " + missing);
    }

    /** What jose said about one token: {"verified": true, "kid", "payload"} or {"verified": false, "code", "message"}. */
    static JsonObject joseVerify(String jwksUrl, String token, String issuer, String audience, Instant now) throws Exception {
        JsonObject input = new JsonObject().put("jwks", jwksUrl).put("token", token).put("issuer", issuer)
                .put("audience", audience).put("now", now.getEpochSecond());
        Process p = new ProcessBuilder("node", "verify.mjs").directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.encode().getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("node exit status, output: " + out).isZero();
        return new JsonObject(out);
    }

    private static String jwksUriFromDiscovery(GatewayHarness h) {
        Browser.Response r = h.browser().get("/.well-known/openid-configuration");
        assertThat(r.status()).isEqualTo(200);
        return new JsonObject(r.body()).getString("jwks_uri");
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    private GatewayHarness start(Path keyFile, Instant clock) throws Exception {
        GatewayHarness.Builder b = GatewayHarness.builder().keyFile(keyFile).signing("rotation: 1h")
                .yaml(SigningKeyRotationIT.TEMPLATES).routes(SigningKeyRotationIT.ROUTES);
        return (clock == null ? b : b.clockAt(clock)).start();
    }

    @Test
    void joseVerifiesAMintedTokenThroughTheJwksUrlAndHoldsItToItsAudience() throws Exception {
        // Cross-language verification is the promise to every non-Java service behind the gateway.
        try (GatewayHarness h = start(dir.resolve("keys.json"), null)) {
            String token = SigningKeyRotationIT.mint(h, "alice");
            String jwks = jwksUriFromDiscovery(h);
            Instant now = h.clock.instant();

            JsonObject ok = joseVerify(jwks, token, h.baseUrl(), "billing-api", now);
            assertThat(ok.getBoolean("verified")).as(ok.encode()).isTrue();
            assertThat(ok.getString("kid")).isEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
            assertThat(ok.getJsonObject("payload").getString("sub")).isEqualTo("alice");
            assertThat(ok.getJsonObject("payload").getString("aud")).isEqualTo("billing-api");

            JsonObject wrongAudience = joseVerify(jwks, token, h.baseUrl(), "reports-api", now);
            assertThat(wrongAudience.getBoolean("verified")).isFalse();
            assertThat(wrongAudience.getString("code")).isEqualTo("ERR_JWT_CLAIM_VALIDATION_FAILED");
            JsonObject wrongIssuer = joseVerify(jwks, token, "https://other.example", "billing-api", now);
            assertThat(wrongIssuer.getBoolean("verified")).isFalse();
            JsonObject expired = joseVerify(jwks, token, h.baseUrl(), "billing-api", now.plus(Duration.ofMinutes(5)));
            assertThat(expired.getString("code")).isEqualTo("ERR_JWT_EXPIRED");
            String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
            assertThat(joseVerify(jwks, tampered, h.baseUrl(), "billing-api", now).getBoolean("verified")).isFalse();
        }
    }

    @Test
    void joseRejectsATokenOnceItsKeyIsRetiredAndDroppedWhileNewTokensVerify() throws Exception {
        // After rotation and overlap the old key must stop verifying anything, in every library, not just ours.
        Path keyFile = dir.resolve("keys.json");
        String oldToken;
        String oldIssuer;
        Instant started;
        try (GatewayHarness h = start(keyFile, null)) {
            started = h.clock.instant();
            oldToken = SigningKeyRotationIT.mint(h, "bob");
            oldIssuer = h.baseUrl();
            assertThat(joseVerify(jwksUriFromDiscovery(h), oldToken, oldIssuer, "billing-api", started).getBoolean("verified")).isTrue();
        }

        Instant rotated = started.plus(Duration.ofHours(1));
        String newToken;
        try (GatewayHarness h = start(keyFile, rotated)) {
            String jwks = jwksUriFromDiscovery(h);
            newToken = SigningKeyRotationIT.mint(h, "carol");
            JsonObject retired = joseVerify(jwks, oldToken, oldIssuer, "billing-api", started);
            assertThat(retired.getBoolean("verified")).as("retired but still published: " + retired.encode()).isTrue();
            JsonObject fresh = joseVerify(jwks, newToken, h.baseUrl(), "billing-api", rotated);
            assertThat(fresh.getBoolean("verified")).as(fresh.encode()).isTrue();
            assertThat(fresh.getString("kid")).isNotEqualTo(SignedJWT.parse(oldToken).getHeader().getKeyID());
        }

        Instant dropped = rotated.plus(Duration.ofSeconds(60)).plus(Duration.ofMinutes(5));
        String newIssuer = claims(newToken).getIssuer();
        try (GatewayHarness h = start(keyFile, dropped)) {
            String jwks = jwksUriFromDiscovery(h);
            JsonObject old = joseVerify(jwks, oldToken, oldIssuer, "billing-api", started);
            assertThat(old.getBoolean("verified")).isFalse();
            assertThat(old.getString("code")).isEqualTo("ERR_JWKS_NO_MATCHING_KEY");
            assertThat(joseVerify(jwks, newToken, newIssuer, "billing-api", rotated).getBoolean("verified")).isTrue();
            String latest = SigningKeyRotationIT.mint(h, "dave");
            JsonObject current = joseVerify(jwks, latest, h.baseUrl(), "billing-api", dropped);
            assertThat(current.getBoolean("verified")).as(current.encode()).isTrue();
        }
    }
}
