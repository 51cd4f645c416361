package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled signing key rotation, seen from outside: the JWKS served over HTTP, tokens from the token endpoint,
 * and a provider restarted on its old key file. Time moves with a hand-moved clock, never by waiting.
 */
class SigningKeyRotationIT {
    static final Duration PERIOD = Duration.ofDays(30);

    @TempDir
    Path dir;
    ProviderHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void afterThePeriodNewTokensUseANewKeyAndTokensSignedBeforeStillVerify() throws Exception {
        // Services cache the JWKS and keep tokens for their lifetime: a rotation must add a key, not swap one out.
        TestClock clock = new TestClock();
        h = ProviderHarness.start(dir, clock, null);
        OIDCTokenResponse bob = signInAsBob();
        String before = serviceToken();
        String firstKid = kid(before);
        assertThat(jwks().getKeys()).extracting(JWK::getKeyID).containsExactly(firstKid);

        clock.advance(PERIOD.minusMinutes(1));
        assertThat(kid(serviceToken())).as("not yet due").isEqualTo(firstKid);

        clock.advance(Duration.ofMinutes(1));
        String after = serviceToken();
        String secondKid = kid(after);
        assertThat(secondKid).isNotEqualTo(firstKid);
        JWKSet published = jwks();
        assertThat(published.getKeys()).extracting(JWK::getKeyID).containsExactly(secondKid, firstKid);
        assertThat(published.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        assertThat(verifies(before, published)).isTrue();
        assertThat(verifies(bob.getOIDCTokens().getIDTokenString(), published)).isTrue();
        assertThat(verifies(bob.getOIDCTokens().getAccessToken().getValue(), published)).isTrue();
        assertThat(verifies(after, published)).isTrue();
        assertThat(kid(serviceToken())).as("one rotation per period").isEqualTo(secondKid);
    }

    @Test
    void anIdTokenFromBeforeTwoRotationsStillWorksAsALogoutHint() throws Exception {
        // The gateway keeps the ID token of a sign-in and sends it back at logout, expired or not.
        TestClock clock = new TestClock();
        h = ProviderHarness.start(dir, clock, null);
        String idToken = signInAsBob().getOIDCTokens().getIDTokenString();
        clock.advance(PERIOD);
        serviceToken();
        clock.advance(PERIOD);
        serviceToken();
        assertThat(jwks().getKeys()).hasSize(3).extracting(JWK::getKeyID).contains(kid(idToken));

        HttpProbe.Answer logout = HttpProbe.get(h.endpoint("/end-session?id_token_hint="
                + URLEncoder.encode(idToken, StandardCharsets.UTF_8) + "&post_logout_redirect_uri="
                + URLEncoder.encode(ProviderHarness.AFTER_LOGOUT.toString(), StandardCharsets.UTF_8)), null);
        assertThat(logout.status()).as(logout.body()).isEqualTo(303);
        assertThat(logout.header("Location")).startsWith(ProviderHarness.AFTER_LOGOUT.toString());
    }

    @Test
    void aRestartKeepsTheKeysAgeAndAProviderDownPastThePeriodRotatesAtStart() throws Exception {
        // The period runs from when the key was made, kept in the key file: restarts neither reset nor skip it.
        TestClock clock = new TestClock();
        h = ProviderHarness.start(dir, clock, null);
        String firstKid = kid(serviceToken());
        h.close();

        clock.advance(PERIOD.minusDays(1));
        h = ProviderHarness.start(dir, clock, null);
        assertThat(jwks().getKeys()).extracting(JWK::getKeyID).as("restarted before the period").containsExactly(firstKid);
        h.close();

        clock.advance(Duration.ofDays(1));
        h = ProviderHarness.start(dir, clock, null);
        List<String> published = jwks().getKeys().stream().map(JWK::getKeyID).toList();
        assertThat(published).as("rotated at start, before anything was signed").hasSize(2).endsWith(firstKid);
        assertThat(kid(serviceToken())).isEqualTo(published.get(0));
    }

    private OIDCTokenResponse signInAsBob() throws Exception {
        ProviderHarness.Attempt attempt = h.attempt();
        AuthorizationCode code = h.code(h.signIn(new TestBrowser(), attempt, "bob@example.com", ProviderHarness.PASSWORD),
                attempt);
        return (OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse();
    }

    private String serviceToken() throws Exception {
        TokenResponse r = TokenResponse.parse(new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(
                new ClientID("billing-service"), new Secret("billing-secret-0123456789")), new ClientCredentialsGrant())
                .toHTTPRequest().send());
        assertThat(r.indicatesSuccess()).isTrue();
        return ((AccessTokenResponse) r).getTokens().getAccessToken().getValue();
    }

    private JWKSet jwks() throws Exception {
        HttpProbe.Answer answer = HttpProbe.get(h.endpoint("/jwks"), null);
        assertThat(answer.status()).isEqualTo(200);
        return JWKSet.parse(answer.body());
    }

    private static String kid(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    /** Signature only: the key the header names must be published and must verify it. */
    private static boolean verifies(String jwt, JWKSet published) throws Exception {
        SignedJWT parsed = SignedJWT.parse(jwt);
        JWK key = published.getKeyByKeyId(parsed.getHeader().getKeyID());
        return key != null && parsed.verify(new ECDSAVerifier(key.toECKey()));
    }
}
