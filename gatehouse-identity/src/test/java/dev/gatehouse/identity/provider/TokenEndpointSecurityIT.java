package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token endpoint under attack (security checklist AS-05 to AS-10, AS-16, AS-17, AS-19, AS-24, AS-27, AS-29,
 * §7 test 5): codes redeemed twice, late, without or with the wrong verifier, by another client or for another
 * redirect URI; refresh tokens widened or tampered with; grants the provider must not offer; and the caching
 * headers of every token answer. Real provider, real HTTP, Nimbus as the client.
 */
class TokenEndpointSecurityIT {
    @TempDir
    Path dir;
    ProviderHarness h;

    @BeforeEach
    void start() {
        h = ProviderHarness.start(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private record Issued(ProviderHarness.Attempt attempt, AuthorizationCode code) {
    }

    /** A fresh code for Bob; the browser is signed in after the first call. */
    private Issued codeForBob(TestBrowser browser) throws Exception {
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page callback = browser.cookie == null
                ? h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD) : browser.get(attempt.uri());
        return new Issued(attempt, h.code(callback, attempt));
    }

    private static String error(HTTPResponse r) throws Exception {
        return TokenErrorResponse.parse(r).getErrorObject().getCode();
    }

    private boolean userinfoAccepts(BearerAccessToken token) throws Exception {
        return UserInfoResponse.parse(new UserInfoRequest(h.endpoint("/userinfo"), token).toHTTPRequest().send())
                .indicatesSuccess();
    }

    @Test
    void aCodeRedeemedTwiceIsRefusedAndTheTokensOfTheFirstRedemptionStopWorking() throws Exception {
        // RFC 6749 §4.1.2, RFC 9700 §4.2.4: a second redemption means the code leaked; whoever redeemed it first
        // (perhaps the attacker) must lose what it got.
        Issued issued = codeForBob(new TestBrowser());
        OIDCTokenResponse first = (OIDCTokenResponse) ProviderHarness.parse(h.redeem(issued.code(), issued.attempt().verifier()))
                .toSuccessResponse();
        assertThat(userinfoAccepts(first.getOIDCTokens().getBearerAccessToken())).isTrue();

        HTTPResponse second = h.redeem(issued.code(), issued.attempt().verifier());
        assertThat(error(second)).isEqualTo("invalid_grant");

        assertThat(error(h.tokenRequest(new RefreshTokenGrant(first.getOIDCTokens().getRefreshToken()))))
                .as("the first redemption's refresh token is revoked").isEqualTo("invalid_grant");
        assertThat(userinfoAccepts(first.getOIDCTokens().getBearerAccessToken()))
                .as("the first redemption's access token is revoked").isFalse();
    }

    @Test
    void aCodeIsGoodForSixtySecondsOnly() throws Exception {
        // ASVS V10.4.3: a short code lifetime bounds what a code read from a log or a Referer is worth.
        TestBrowser browser = new TestBrowser();
        Issued late = codeForBob(browser);
        Issued inTime = codeForBob(browser);
        h.clock.advance(Duration.ofSeconds(AuthorizationCodes.LIFETIME_SECONDS - 1));
        assertThat(h.redeem(inTime.code(), inTime.attempt().verifier()).getStatusCode()).isEqualTo(200);
        h.clock.advance(Duration.ofSeconds(2));
        assertThat(error(h.redeem(late.code(), late.attempt().verifier()))).isEqualTo("invalid_grant");
    }

    @Test
    void aCodeNeedsTheVerifierOfItsChallengeAndNothingElseWillDo() throws Exception {
        // RFC 7636 §4.6 and the PKCE downgrade of Spring Authorization Server CVE-2024-22258: without the verifier,
        // or with the challenge itself sent as a "plain" verifier, a stolen code is worthless.
        TestBrowser browser = new TestBrowser();
        Issued withoutVerifier = codeForBob(browser);
        assertThat(error(h.tokenRequest(new AuthorizationCodeGrant(withoutVerifier.code(), ProviderHarness.CALLBACK))))
                .isEqualTo("invalid_grant");

        Issued plain = codeForBob(browser);
        String challenge = com.nimbusds.oauth2.sdk.pkce.CodeChallenge.compute(CodeChallengeMethod.S256,
                plain.attempt().verifier()).getValue();
        assertThat(error(h.redeem(plain.code(), new CodeVerifier(challenge + "0000000000")))).isEqualTo("invalid_grant");

        Issued other = codeForBob(browser);
        assertThat(error(h.redeem(other.code(), new CodeVerifier()))).isEqualTo("invalid_grant");
        assertThat(error(h.redeem(other.code(), other.attempt().verifier())))
                .as("a failed attempt spends the code").isEqualTo("invalid_grant");
    }

    @Test
    void aCodeIsBoundToItsClientAndRedirectUriAndAConfidentialClientMustAuthenticate() throws Exception {
        // OIDC Core §3.1.3.2, ASVS V10.4.10: another client holding the code, or the right client naming another
        // redirect URI, gets nothing.
        h.provider.register(ClientRegistration.webClient("other", "other-secret-0123456789", ProviderHarness.CALLBACK, null, null));
        TestBrowser browser = new TestBrowser();
        Issued stolen = codeForBob(browser);
        HTTPResponse byOther = new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(new ClientID("other"),
                new Secret("other-secret-0123456789")), new AuthorizationCodeGrant(stolen.code(), ProviderHarness.CALLBACK,
                stolen.attempt().verifier())).toHTTPRequest().send();
        assertThat(error(byOther)).isEqualTo("invalid_grant");

        Issued moved = codeForBob(browser);
        for (String redirect : List.of("http://127.0.0.1:9/auth/callback/", "http://127.0.0.1:9/auth/callback?x=1")) {
            Issued fresh = codeForBob(browser);
            assertThat(error(h.tokenRequest(new AuthorizationCodeGrant(fresh.code(), URI.create(redirect),
                    fresh.attempt().verifier())))).as(redirect).isEqualTo("invalid_grant");
        }
        HTTPRequest noRedirect = new HTTPRequest(HTTPRequest.Method.POST, h.endpoint("/token"));
        noRedirect.setAuthorization(new ClientSecretBasic(new ClientID(ProviderHarness.CLIENT), new Secret(ProviderHarness.SECRET))
                .toHTTPAuthorizationHeader());
        noRedirect.setContentType("application/x-www-form-urlencoded");
        noRedirect.setBody("grant_type=authorization_code&code=" + moved.code().getValue() + "&code_verifier="
                + moved.attempt().verifier().getValue());
        assertThat(error(noRedirect.send())).as("redirect_uri is required when the request had one").isEqualTo("invalid_grant");

        Issued anonymous = codeForBob(browser);
        HTTPRequest unauthenticated = new HTTPRequest(HTTPRequest.Method.POST, h.endpoint("/token"));
        unauthenticated.setContentType("application/x-www-form-urlencoded");
        unauthenticated.setBody("grant_type=authorization_code&client_id=gateway&code=" + anonymous.code().getValue()
                + "&redirect_uri=" + java.net.URLEncoder.encode(ProviderHarness.CALLBACK.toString(), java.nio.charset.StandardCharsets.UTF_8)
                + "&code_verifier=" + anonymous.attempt().verifier().getValue());
        HTTPResponse refused = unauthenticated.send();
        assertThat(refused.getStatusCode()).isEqualTo(401);
        assertThat(error(refused)).isEqualTo("invalid_client");
    }

    @Test
    void passwordImplicitAndOtherUnofferedGrantsAreRefused() throws Exception {
        // RFC 9700 §2.4: no resource owner password grant; the provider offers exactly the grants it implements.
        for (String body : List.of("grant_type=password&username=bob%40example.com&password=x",
                "grant_type=implicit", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=x.y.z",
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=x",
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=x"
                        + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token")) {
            HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, h.endpoint("/token"));
            r.setAuthorization(new ClientSecretBasic(new ClientID(ProviderHarness.CLIENT), new Secret(ProviderHarness.SECRET))
                    .toHTTPAuthorizationHeader());
            r.setContentType("application/x-www-form-urlencoded");
            r.setBody(body);
            HTTPResponse answer = r.send();
            assertThat(answer.getStatusCode()).as(body).isEqualTo(400);
            assertThat(error(answer)).as(body).isIn("unsupported_grant_type", "invalid_request");
            assertThat(answer.getBody()).as(body).doesNotContain("access_token");
        }
        var metadata = com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata.parse(
                new TestBrowser().get(h.endpoint("/.well-known/openid-configuration")).body());
        assertThat(metadata.getGrantTypes()).extracting(Object::toString)
                .containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials");
        assertThat(metadata.getResponseTypes()).containsExactly(ResponseType.CODE);
    }

    @Test
    void aClientWithoutTheRefreshGrantGetsNoRefreshToken() throws Exception {
        // RFC 9700 §4.14.2: whether a client gets refresh tokens at all is decided per client.
        h.provider.register(new ClientRegistration(ProviderHarness.CLIENT, ProviderHarness.SECRET, List.of(ProviderHarness.CALLBACK),
                List.of(), null, Set.of(ClientRegistration.AUTHORIZATION_CODE), "no refresh"));
        Issued issued = codeForBob(new TestBrowser());
        OIDCTokenResponse tokens = (OIDCTokenResponse) ProviderHarness.parse(h.redeem(issued.code(), issued.attempt().verifier()))
                .toSuccessResponse();
        assertThat(tokens.getOIDCTokens().getRefreshToken()).isNull();
        assertThat(tokens.getOIDCTokens().getIDToken()).isNotNull();
    }

    @Test
    void aRefreshCannotWidenTheScopeAndATamperedRefreshTokenIsUnknown() throws Exception {
        // RFC 9700 §4.14.2: a refresh token carries exactly the grant it came from.
        Issued issued = codeForBob(new TestBrowser());
        RefreshToken rt = ProviderHarness.parse(h.redeem(issued.code(), issued.attempt().verifier())).toSuccessResponse()
                .getTokens().getRefreshToken();
        HTTPResponse wider = new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(new ClientID(ProviderHarness.CLIENT),
                new Secret(ProviderHarness.SECRET)), new RefreshTokenGrant(rt), new Scope("openid", "profile", "email", "admin"))
                .toHTTPRequest().send();
        assertThat(error(wider)).isEqualTo("invalid_scope");

        String value = rt.getValue();
        char last = value.charAt(value.length() - 1);
        for (String tampered : List.of(value.substring(0, value.length() - 1) + (last == 'A' ? 'B' : 'A'),
                value + "A", value.substring(1), value.toUpperCase())) {
            if (!tampered.equals(value)) {
                assertThat(h.tokenRequest(new RefreshTokenGrant(new RefreshToken(tampered))).getStatusCode())
                        .as(tampered).isEqualTo(400);
            }
        }
        var refreshed = ProviderHarness.parse(h.tokenRequest(new RefreshTokenGrant(rt))).toSuccessResponse().getTokens();
        assertThat(refreshed.getAccessToken().getScope().toStringList())
                .as("the refused requests spent nothing and widened nothing").containsExactlyInAnyOrder("openid", "profile", "email");
    }

    @Test
    void aResourceParameterNeverYieldsATokenForAnotherAudience() throws Exception {
        // RFC 9700 §4.10.2: the provider does not implement resource indicators; it must not mint for the named
        // resource, so the token stays audience-restricted to the client.
        Issued issued = codeForBob(new TestBrowser());
        HTTPResponse r = new TokenRequest.Builder(h.endpoint("/token"), new ClientSecretBasic(new ClientID(ProviderHarness.CLIENT),
                new Secret(ProviderHarness.SECRET)), new AuthorizationCodeGrant(issued.code(), ProviderHarness.CALLBACK,
                issued.attempt().verifier())).resources(URI.create("https://unknown.example/api")).build().toHTTPRequest().send();
        if (r.getStatusCode() == 200) {
            var at = SignedJWT.parse(ProviderHarness.parse(r).toSuccessResponse().getTokens().getAccessToken().getValue())
                    .getJWTClaimsSet();
            assertThat(at.getAudience()).containsExactly(ProviderHarness.CLIENT);
        } else {
            assertThat(error(r)).isEqualTo("invalid_target");
        }
    }

    @Test
    void aPublicClientAuthenticatesByPkceAloneAndASecretItSendsProvesNothing() throws Exception {
        // Browser-based apps cannot keep a secret (OAuth for Browser-Based Apps §6.3.3.1): a public client has none,
        // and a request that claims one for it is refused rather than treated as confidential.
        URI spa = URI.create("http://localhost:5173/callback");
        h.provider.register(new ClientRegistration("spa", null, List.of(spa), List.of(), null,
                Set.of(ClientRegistration.AUTHORIZATION_CODE, ClientRegistration.REFRESH_TOKEN), "SPA"));
        TestBrowser browser = new TestBrowser();
        h.signIn(browser, h.attempt(), "bob@example.com", ProviderHarness.PASSWORD);

        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        URI authorize = new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), new ClientID("spa"), spa)
                .endpointURI(h.endpoint("/authorize")).state(state).nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
        TestBrowser.Page callback = browser.get(authorize);
        AuthorizationCode code = com.nimbusds.oauth2.sdk.AuthorizationResponse.parse(callback.location()).toSuccessResponse()
                .getAuthorizationCode();

        HTTPResponse withSecret = new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(new ClientID("spa"),
                new Secret("made-up-secret-0123456789")), new AuthorizationCodeGrant(code, spa, verifier)).toHTTPRequest().send();
        assertThat(withSecret.getStatusCode()).isEqualTo(401);
        assertThat(error(withSecret)).isEqualTo("invalid_client");

        TestBrowser.Page again = browser.get(new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"),
                new ClientID("spa"), spa).endpointURI(h.endpoint("/authorize")).state(state).nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI());
        AuthorizationCode code2 = com.nimbusds.oauth2.sdk.AuthorizationResponse.parse(again.location()).toSuccessResponse()
                .getAuthorizationCode();
        HTTPResponse pkceOnly = new TokenRequest(h.endpoint("/token"), new ClientID("spa"),
                new AuthorizationCodeGrant(code2, spa, verifier)).toHTTPRequest().send();
        assertThat(pkceOnly.getStatusCode()).isEqualTo(200);

        HTTPRequest credentials = new HTTPRequest(HTTPRequest.Method.POST, h.endpoint("/token"));
        credentials.setContentType("application/x-www-form-urlencoded");
        credentials.setBody("grant_type=client_credentials&client_id=spa");
        HTTPResponse refused = credentials.send();
        assertThat(refused.getStatusCode()).as("a public client gets no token of its own").isIn(400, 401);
        assertThat(error(refused)).isIn("unauthorized_client", "invalid_client");
        assertThat(refused.getBody()).doesNotContain("access_token");
    }

    @Test
    void everyTokenRevocationAndUserinfoAnswerIsNeverCached() throws Exception {
        // RFC 6749 §5.1: token answers must not be kept by any cache between provider and client.
        Issued issued = codeForBob(new TestBrowser());
        HTTPResponse ok = h.redeem(issued.code(), issued.attempt().verifier());
        HTTPResponse failed = h.redeem(issued.code(), issued.attempt().verifier());
        var tokens = ProviderHarness.parse(ok).toSuccessResponse().getTokens();
        HTTPResponse info = new UserInfoRequest(h.endpoint("/userinfo"), tokens.getBearerAccessToken()).toHTTPRequest().send();
        HTTPResponse revoked = new TokenRevocationRequest(h.endpoint("/revoke"), new ClientSecretBasic(
                new ClientID(ProviderHarness.CLIENT), new Secret(ProviderHarness.SECRET)), tokens.getRefreshToken())
                .toHTTPRequest().send();
        HTTPResponse badClient = new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(new ClientID(ProviderHarness.CLIENT),
                new Secret("wrong-secret-0123456789")), new ClientCredentialsGrant()).toHTTPRequest().send();
        for (HTTPResponse r : List.of(ok, failed, info, revoked, badClient)) {
            assertThat(r.getHeaderValue("Cache-Control")).as(r.getStatusCode() + " " + r.getBody()).isEqualTo("no-store");
        }
    }
}
