package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services in other languages verify the embedded provider's tokens with their own library: Node's {@code jose}
 * (the package installed in {@code gatehouse-server/src/test/node} by {@code .ci/run}) fetches the keys from the
 * provider's JWKS URL and checks signature, {@code typ}, issuer, audience and time. Skipped with a message when
 * node or the package is missing, failed instead under {@code GATEHOUSE_REQUIRE_SERVICES=1}.
 */
class JoseInteropIT {
    static final Path NODE_DIR = Path.of(System.getProperty("basedir", ".")).resolve("../gatehouse-server/src/test/node");

    @TempDir
    Path dir;
    ProviderHarness h;

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

    @BeforeEach
    void start() {
        h = ProviderHarness.start(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static Map<String, Object> joseVerify(String jwks, String token, String issuer, String audience, String typ) throws Exception {
        String script;
        try (InputStream in = JoseInteropIT.class.getResourceAsStream("jose-verify.mjs")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Process p = new ProcessBuilder("node", "--input-type=module", "-e", script).directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSONObjectUtils.toJSONString(Map.of("jwks", jwks, "token", token, "issuer", issuer,
                    "audience", audience, "typ", typ)).getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("node exit status, output: " + out).isZero();
        return JSONObjectUtils.parse(out);
    }

    @Test
    void joseVerifiesTheIdAndAccessTokensThroughTheJwksUrlAndHoldsThemToIssuerAudienceAndType() throws Exception {
        ProviderHarness.Attempt attempt = h.attempt();
        AuthorizationCode code = h.code(h.signIn(new TestBrowser(), attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        OIDCTokenResponse tokens = (OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse();
        String jwks = h.endpoint("/jwks").toString();
        String issuer = h.issuer().toString();

        Map<String, Object> id = joseVerify(jwks, tokens.getOIDCTokens().getIDTokenString(), issuer, ProviderHarness.CLIENT, "JWT");
        assertThat(id.get("verified")).as(id.toString()).isEqualTo(true);
        assertThat(((Map<?, ?>) id.get("payload")).get("sub")).isEqualTo(h.bob.id().value());
        assertThat(((Map<?, ?>) id.get("payload")).get("nonce")).isEqualTo(attempt.nonce().getValue());

        String access = tokens.getOIDCTokens().getAccessToken().getValue();
        Map<String, Object> at = joseVerify(jwks, access, issuer, ProviderHarness.CLIENT, "at+jwt");
        assertThat(at.get("verified")).as(at.toString()).isEqualTo(true);
        assertThat(((Map<?, ?>) ((Map<?, ?>) at.get("payload")).get("org")).get("slug")).isEqualTo("acme");

        assertThat(joseVerify(jwks, access, issuer, "another-api", "at+jwt").get("code")).isEqualTo("ERR_JWT_CLAIM_VALIDATION_FAILED");
        assertThat(joseVerify(jwks, access, "https://other.example", ProviderHarness.CLIENT, "at+jwt").get("verified")).isEqualTo(false);
        assertThat(joseVerify(jwks, tokens.getOIDCTokens().getIDTokenString(), issuer, ProviderHarness.CLIENT, "at+jwt")
                .get("verified")).as("an ID token is not an access token").isEqualTo(false);
        String tampered = access.substring(0, access.length() - 4) + (access.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(joseVerify(jwks, tampered, issuer, ProviderHarness.CLIENT, "at+jwt").get("verified")).isEqualTo(false);
    }
}
