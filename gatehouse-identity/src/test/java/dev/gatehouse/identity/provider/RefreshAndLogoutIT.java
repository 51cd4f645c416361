package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refresh tokens (rotation, reuse detection, absolute expiry, persistence across a restart), client credentials,
 * revocation, RP-initiated logout and back-channel logout, over real HTTP with Nimbus as the relying party and a
 * real HTTP server receiving the logout tokens.
 */
class RefreshAndLogoutIT {
    @TempDir
    Path dir;
    BackchannelReceiver receiver;
    ProviderHarness h;

    @BeforeEach
    void start() throws Exception {
        receiver = new BackchannelReceiver();
        h = ProviderHarness.start(dir, new TestClock(), receiver.uri());
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        receiver.close();
    }

    private OIDCTokenResponse signInAsBob() throws Exception {
        ProviderHarness.Attempt attempt = h.attempt();
        AuthorizationCode code = h.code(h.signIn(new TestBrowser(), attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        return (OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse();
    }

    private HTTPResponse refresh(RefreshToken token) throws Exception {
        return h.tokenRequest(new RefreshTokenGrant(token));
    }

    private static String error(HTTPResponse r) throws Exception {
        return TokenErrorResponse.parse(r).getErrorObject().getCode();
    }

    private LogoutTokenClaimsSet validLogoutToken(String token) throws Exception {
        LogoutTokenValidator v = new LogoutTokenValidator(new Issuer(h.issuer()), new ClientID(ProviderHarness.CLIENT),
                true, new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                        com.nimbusds.jose.jwk.source.JWKSourceBuilder.create(h.endpoint("/jwks").toURL()).build()), null);
        return v.validate(SignedJWT.parse(token));
    }

    @Test
    void refreshRotatesAndReusingAnOldTokenRevokesTheWholeFamilyAndLogsTheClientOut() throws Exception {
        // Reuse detection is what turns a stolen refresh token into a signed-out session instead of a silent takeover.
        OIDCTokenResponse first = signInAsBob();
        RefreshToken rt1 = first.getOIDCTokens().getRefreshToken();
        String sid = first.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");

        Tokens second = ProviderHarness.parse(refresh(rt1)).toSuccessResponse().getTokens();
        RefreshToken rt2 = second.getRefreshToken();
        assertThat(rt2.getValue()).isNotEqualTo(rt1.getValue());
        OIDCTokenResponse refreshed = (OIDCTokenResponse) ProviderHarness.parse(refresh(rt2)).toSuccessResponse();
        var idClaims = refreshed.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertThat(idClaims.getSubject()).isEqualTo(h.bob.id().value());
        assertThat(idClaims.getClaim("nonce")).isNull();
        RefreshToken rt3 = refreshed.getOIDCTokens().getRefreshToken();
        assertThat(receiver.pending()).isZero();

        assertThat(error(refresh(rt1))).isEqualTo("invalid_grant");
        assertThat(error(refresh(rt3))).as("the newest token of the family dies with it").isEqualTo("invalid_grant");

        LogoutTokenClaimsSet logout = validLogoutToken(receiver.next());
        assertThat(logout.getSessionID().getValue()).isEqualTo(sid);
        assertThat(logout.getSubject().getValue()).isEqualTo(h.bob.id().value());
        assertThat(logout.toJWTClaimsSet().getClaim("nonce")).isNull();
        assertThat(logout.toJWTClaimsSet().getJWTID()).isNotBlank();

        UserInfoResponse info = UserInfoResponse.parse(new UserInfoRequest(h.endpoint("/userinfo"),
                refreshed.getOIDCTokens().getBearerAccessToken()).toHTTPRequest().send());
        assertThat(info.indicatesSuccess()).as("access tokens of the ended session stop working at userinfo").isFalse();
    }

    @Test
    void refreshTokenLifetimeIsAbsoluteAcrossRotations() throws Exception {
        RefreshToken rt = signInAsBob().getOIDCTokens().getRefreshToken();
        h.clock.advance(Duration.ofDays(29));
        rt = ProviderHarness.parse(refresh(rt)).toSuccessResponse().getTokens().getRefreshToken();
        h.clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(error(refresh(rt))).isEqualTo("invalid_grant");
    }

    @Test
    void anotherClientCannotUseTheRefreshToken() throws Exception {
        RefreshToken rt = signInAsBob().getOIDCTokens().getRefreshToken();
        h.provider.register(ClientRegistration.webClient("other", "other-secret-0123456789", ProviderHarness.CALLBACK, null, null));
        HTTPResponse r = new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(new ClientID("other"),
                new Secret("other-secret-0123456789")), new RefreshTokenGrant(rt)).toHTTPRequest().send();
        assertThat(error(r)).isEqualTo("invalid_grant");
        assertThat(refresh(rt).getStatusCode()).as("the owner's token was not burnt by the other client").isEqualTo(200);
    }

    @Test
    void clientCredentialsGivesAServiceItsOwnAccessTokenOnly() throws Exception {
        HTTPResponse r = new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(new ClientID("billing-service"),
                new Secret("billing-secret-0123456789")), new ClientCredentialsGrant()).toHTTPRequest().send();
        Tokens tokens = ProviderHarness.parse(r).toSuccessResponse().getTokens();
        assertThat(tokens.getRefreshToken()).isNull();
        var claims = SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("billing-service");
        assertThat(claims.getIssuer()).isEqualTo(h.issuer().toString());

        assertThat(error(h.tokenRequest(new ClientCredentialsGrant()))).as("the gateway is not a service client")
                .isEqualTo("unauthorized_client");
        HTTPResponse wrong = new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(new ClientID("billing-service"),
                new Secret("billing-secret-wrong-000")), new ClientCredentialsGrant()).toHTTPRequest().send();
        assertThat(wrong.getStatusCode()).isEqualTo(401);
        assertThat(error(wrong)).isEqualTo("invalid_client");
    }

    @Test
    void revokedRefreshAndAccessTokensStopWorking() throws Exception {
        OIDCTokenResponse tokens = signInAsBob();
        ClientSecretBasic auth = new ClientSecretBasic(new ClientID(ProviderHarness.CLIENT), new Secret(ProviderHarness.SECRET));
        HTTPResponse revoked = new TokenRevocationRequest(h.endpoint("/revoke"), auth,
                tokens.getOIDCTokens().getRefreshToken()).toHTTPRequest().send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(error(refresh(tokens.getOIDCTokens().getRefreshToken()))).isEqualTo("invalid_grant");

        AccessToken access = tokens.getOIDCTokens().getAccessToken();
        assertThat(UserInfoResponse.parse(new UserInfoRequest(h.endpoint("/userinfo"), tokens.getOIDCTokens()
                .getBearerAccessToken()).toHTTPRequest().send()).indicatesSuccess()).isTrue();
        new TokenRevocationRequest(h.endpoint("/revoke"), auth, access).toHTTPRequest().send();
        assertThat(UserInfoResponse.parse(new UserInfoRequest(h.endpoint("/userinfo"), tokens.getOIDCTokens()
                .getBearerAccessToken()).toHTTPRequest().send()).indicatesSuccess()).isFalse();

        HTTPResponse unknown = new TokenRevocationRequest(h.endpoint("/revoke"), auth, new RefreshToken("nothing-like-it"))
                .toHTTPRequest().send();
        assertThat(unknown.getStatusCode()).as("RFC 7009: unknown tokens are not an error").isEqualTo(200);
    }

    @Test
    void endSessionWithAnIdTokenHintEndsTheSessionRedirectsBackAndNotifiesTheClient() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        AuthorizationCode code = h.code(h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        OIDCTokenResponse tokens = (OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse();

        URI logout = new LogoutRequest(h.endpoint("/end-session"), tokens.getOIDCTokens().getIDToken(),
                ProviderHarness.AFTER_LOGOUT, new com.nimbusds.oauth2.sdk.id.State("after-42")).toURI();
        TestBrowser.Page back = browser.get(logout);
        assertThat(back.status()).isEqualTo(303);
        assertThat(back.location()).isEqualTo(URI.create(ProviderHarness.AFTER_LOGOUT + "?state=after-42"));

        LogoutTokenClaimsSet claims = validLogoutToken(receiver.next());
        assertThat(claims.getSessionID().getValue())
                .isEqualTo(tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid"));
        assertThat(error(refresh(tokens.getOIDCTokens().getRefreshToken()))).isEqualTo("invalid_grant");
        TestBrowser.Page again = browser.get(h.attempt().uri());
        assertThat(again.location().getPath()).as("the provider session is gone").isEqualTo("/sign-in");
    }

    @Test
    void endSessionNeverRedirectsToAnUnregisteredUri() throws Exception {
        OIDCTokenResponse tokens = signInAsBob();
        URI logout = new LogoutRequest(h.endpoint("/end-session"), tokens.getOIDCTokens().getIDToken(),
                URI.create("https://evil.example/landing"), null).toURI();
        TestBrowser.Page page = new TestBrowser().get(logout);
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.location()).isNull();
        assertThat(refresh(tokens.getOIDCTokens().getRefreshToken()).getStatusCode())
                .as("a refused logout request ends nothing").isEqualTo(200);
    }

    @Test
    void refreshTokensAndSigningKeysSurviveARestartOnTheSameFiles() throws Exception {
        OIDCTokenResponse tokens = signInAsBob();
        String kid = tokens.getOIDCTokens().getIDToken().getHeader() instanceof com.nimbusds.jose.JWSHeader jws
                ? jws.getKeyID() : null;
        TestClock clock = h.clock;
        h.close();
        h = ProviderHarness.start(dir, clock, receiver.uri());

        assertThat(new TestBrowser().get(h.endpoint("/jwks")).body()).contains(kid);
        Tokens refreshed = ProviderHarness.parse(refresh(tokens.getOIDCTokens().getRefreshToken())).toSuccessResponse().getTokens();
        assertThat(SignedJWT.parse(refreshed.getAccessToken().getValue()).getHeader().getKeyID()).isEqualTo(kid);
    }

    @Test
    void afterKeyRotationOldTokensStillVerifyAndNewOnesUseTheNewKey() throws Exception {
        OIDCTokenResponse before = signInAsBob();
        h.provider.keys().rotate();
        OIDCTokenResponse after = signInAsBob();
        String oldKid = ((com.nimbusds.jose.JWSHeader) before.getOIDCTokens().getIDToken().getHeader()).getKeyID();
        String newKid = ((com.nimbusds.jose.JWSHeader) after.getOIDCTokens().getIDToken().getHeader()).getKeyID();
        assertThat(newKid).isNotEqualTo(oldKid);
        var validator = h.idTokenValidator();
        validator.validate(after.getOIDCTokens().getIDToken(), null);
        validator.validate(before.getOIDCTokens().getIDToken(), null);
    }
}
