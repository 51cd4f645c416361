package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization code flow with PKCE, driven by a relying party built from Nimbus classes over real HTTP:
 * what the gateway (or any OIDC client) needs from the embedded provider, and the refusals that keep codes,
 * redirects and client credentials safe.
 */
class AuthorizationCodeFlowIT {
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

    @Test
    void discoveryDescribesTheEndpointsAndRequiresS256() throws Exception {
        // A relying party configures itself from this document; a wrong issuer or a missing S256 breaks every client.
        OIDCProviderMetadata m = OIDCProviderMetadata.resolve(new com.nimbusds.oauth2.sdk.id.Issuer(h.issuer()));
        assertThat(m.getIssuer().getValue()).isEqualTo(h.issuer().toString());
        assertThat(m.getAuthorizationEndpointURI()).isEqualTo(h.endpoint("/authorize"));
        assertThat(m.getTokenEndpointURI()).isEqualTo(h.endpoint("/token"));
        assertThat(m.getJWKSetURI()).isEqualTo(h.endpoint("/jwks"));
        assertThat(m.getCodeChallengeMethods()).extracting(Object::toString).containsExactly("S256");
        assertThat(m.supportsAuthorizationResponseIssuerParam()).isTrue();
        assertThat(m.supportsBackChannelLogout()).isTrue();
        assertThat(m.getEndSessionEndpointURI()).isEqualTo(h.endpoint("/end-session"));
        assertThat(m.getRevocationEndpointURI()).isEqualTo(h.endpoint("/revoke"));
    }

    @Test
    void signingKeyFileIsCreatedOwnerOnlyAndServedAsPublicKeys() throws Exception {
        Path keyFile = dir.resolve("keys/provider-keys.json");
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        TestBrowser b = new TestBrowser();
        TestBrowser.Page jwks = b.get(h.endpoint("/jwks"));
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.body()).contains("\"kty\":\"EC\"").contains("\"crv\":\"P-256\"").doesNotContain("\"d\"");
    }

    @Test
    void codeWithPkceGivesValidTokensWithTheClaimsTheGatewayMaps() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        AuthorizationCode code = h.code(h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);

        OIDCTokenResponse tokens = (OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse();
        IDTokenClaimsSet id = h.idTokenValidator().validate(tokens.getOIDCTokens().getIDToken(), attempt.nonce());
        assertThat(id.getSubject().getValue()).isEqualTo(h.bob.id().value());
        assertThat(id.getAudience()).extracting(Object::toString).containsExactly(ProviderHarness.CLIENT);
        assertThat(id.getAuthenticationTime()).isNotNull();
        assertThat(id.getStringClaim("sid")).isNotBlank();
        assertThat(id.getStringClaim("azp")).isEqualTo(ProviderHarness.CLIENT);
        assertThat(id.getStringClaim("email")).isEqualTo("bob@example.com");
        assertThat(id.getBooleanClaim("email_verified")).isFalse();
        assertThat(id.getStringClaim("name")).isEqualTo("Bob");
        Map<String, Object> org = id.toJWTClaimsSet().getJSONObjectClaim("org");
        assertThat(org).containsEntry("id", h.acme.id().value()).containsEntry("slug", "acme").containsEntry("name", "Acme Inc")
                .containsEntry("role", "org:member");
        assertThat(id.toJWTClaimsSet().getListClaim("organizations")).hasSize(1);

        SignedJWT access = SignedJWT.parse(tokens.getOIDCTokens().getAccessToken().getValue());
        assertThat(access.getHeader().getType().toString()).isEqualTo("at+jwt");
        JWTClaimsSet at = access.getJWTClaimsSet();
        assertThat(at.getIssuer()).isEqualTo(h.issuer().toString());
        assertThat(at.getSubject()).isEqualTo(h.bob.id().value());
        assertThat(at.getClaim("nonce")).isNull();
        assertThat(at.getExpirationTime().toInstant()).isEqualTo(h.clock.instant().plusSeconds(300));
        assertThat(at.getJSONObjectClaim("org")).containsEntry("slug", "acme");
        assertThat(tokens.getOIDCTokens().getRefreshToken()).isNotNull();
        assertThat(tokens.getOIDCTokens().getAccessToken().getLifetime()).isEqualTo(300);
    }

    @Test
    void userinfoAnswersTheBearerTokensUserWithPublicButNotPrivateMetadata() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page afterSignIn = h.signIn(browser, attempt, "alice@example.com", ProviderHarness.PASSWORD);
        TestBrowser.Page choose = browser.get(afterSignIn.location());
        TestBrowser.Page callback = browser.post(h.endpoint("/choose-organization"), TestBrowser.fields(
                "csrf", choose.hidden("csrf"), "tx", choose.hidden("tx"), "organization", h.acme.id().value()));
        AuthorizationCode code = h.code(callback, attempt);
        BearerAccessToken access = ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse()
                .getTokens().getBearerAccessToken();

        UserInfoResponse info = UserInfoResponse.parse(new UserInfoRequest(h.endpoint("/userinfo"), access).toHTTPRequest().send());
        assertThat(info.indicatesSuccess()).isTrue();
        var claims = info.toSuccessResponse().getUserInfo();
        assertThat(claims.getSubject().getValue()).isEqualTo(h.alice.id().value());
        assertThat(claims.getEmailAddress()).isEqualTo("alice@example.com");
        assertThat(claims.toJSONObject().get("public_metadata").toString()).contains("pro");
        assertThat(claims.toJSONObject().toString()).doesNotContain("cus_private_123");
        assertThat(claims.getStringListClaim("roles")).containsExactly("staff");

        UserInfoResponse bad = UserInfoResponse.parse(new UserInfoRequest(h.endpoint("/userinfo"),
                new BearerAccessToken(access.getValue() + "x")).toHTTPRequest().send());
        assertThat(bad.indicatesSuccess()).isFalse();
        assertThat(bad.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_token");
    }

    @Test
    void clientSecretPostAuthenticatesToo() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        AuthorizationCode code = h.code(h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        HTTPResponse r = new TokenRequest(h.endpoint("/token"), new ClientSecretPost(new ClientID(ProviderHarness.CLIENT),
                new Secret(ProviderHarness.SECRET)), new AuthorizationCodeGrant(code, ProviderHarness.CALLBACK,
                attempt.verifier())).toHTTPRequest().send();
        assertThat(r.getStatusCode()).isEqualTo(200);
    }

    @Test
    void authorizationWithoutPkceOrWithPlainIsRefusedWithInvalidRequest() throws Exception {
        TestBrowser browser = new TestBrowser();
        String withoutPkce = h.attempt().uri().toString().replaceAll("&code_challenge(_method)?=[^&]*", "");
        TestBrowser.Page missing = browser.get(URI.create(withoutPkce));
        assertThat(missing.status()).isEqualTo(303);
        AuthorizationResponse r1 = AuthorizationResponse.parse(missing.location());
        assertThat(r1.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_request");
        assertThat(r1.getIssuer().getValue()).isEqualTo(h.issuer().toString());

        String plain = h.attempt().uri().toString().replace("code_challenge_method=S256", "code_challenge_method=plain");
        TestBrowser.Page downgraded = browser.get(URI.create(plain));
        assertThat(AuthorizationResponse.parse(downgraded.location()).toErrorResponse().getErrorObject().getCode())
                .isEqualTo("invalid_request");
    }

    @Test
    void unregisteredRedirectUriGetsAnErrorPageAndNoRedirect() {
        TestBrowser browser = new TestBrowser();
        String evil = h.attempt().uri().toString().replace(java.net.URLEncoder.encode(ProviderHarness.CALLBACK.toString(),
                java.nio.charset.StandardCharsets.UTF_8), java.net.URLEncoder.encode("http://127.0.0.1:9/auth/callback/../evil",
                java.nio.charset.StandardCharsets.UTF_8));
        TestBrowser.Page page = browser.get(URI.create(evil));
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.location()).isNull();
        assertThat(page.body()).contains("not registered");

        TestBrowser.Page unknownClient = browser.get(URI.create(h.attempt().uri().toString().replace("client_id=gateway", "client_id=nobody")));
        assertThat(unknownClient.status()).isEqualTo(400);
        assertThat(unknownClient.location()).isNull();
    }

    @Test
    void wrongVerifierReusedCodeAndWrongSecretAreRefused() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        AuthorizationCode code = h.code(h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        HTTPResponse wrongVerifier = h.redeem(code, new CodeVerifier());
        assertThat(TokenErrorResponse.parse(wrongVerifier).getErrorObject().getCode()).isEqualTo("invalid_grant");
        // the code was spent by the failed attempt: even the right verifier cannot use it now
        assertThat(TokenErrorResponse.parse(h.redeem(code, attempt.verifier())).getErrorObject().getCode()).isEqualTo("invalid_grant");

        ProviderHarness.Attempt second = h.attempt();
        AuthorizationCode code2 = h.code(browser.get(second.uri()), second);
        HTTPResponse wrongSecret = new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(new ClientID(ProviderHarness.CLIENT),
                new Secret("not-the-secret-at-all")), new AuthorizationCodeGrant(code2, ProviderHarness.CALLBACK,
                second.verifier())).toHTTPRequest().send();
        assertThat(wrongSecret.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(wrongSecret).getErrorObject().getCode()).isEqualTo("invalid_client");

        ProviderHarness.Attempt third = h.attempt();
        AuthorizationCode code3 = h.code(browser.get(third.uri()), third);
        assertThat(h.redeem(code3, third.verifier()).getStatusCode()).isEqualTo(200);
        HTTPResponse reused = h.redeem(code3, third.verifier());
        assertThat(TokenErrorResponse.parse(reused).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void aSignedInBrowserGetsACodeWithoutSigningInAgainButPromptLoginAsksAgain() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt first = h.attempt();
        h.code(h.signIn(browser, first, "bob@example.com", ProviderHarness.PASSWORD), first);
        ProviderHarness.Attempt again = h.attempt();
        h.code(browser.get(again.uri()), again);
        TestBrowser.Page forced = browser.get(h.attempt("prompt", "login").uri());
        assertThat(forced.location().getPath()).isEqualTo("/sign-in");
    }

    @Test
    void idTokenHeaderNamesTheKeyInTheJwks() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        AuthorizationCode code = h.code(h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        OIDCTokenResponse tokens = (OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse();
        String kid = ((JWSObject) SignedJWT.parse(tokens.getOIDCTokens().getIDTokenString())).getHeader().getKeyID();
        assertThat(new TestBrowser().get(h.endpoint("/jwks")).body()).contains(kid);
        assertThat(List.of(h.provider.keys().publicKeys().getKeyByKeyId(kid))).isNotEmpty();
    }
    @Test
    void unknownScopesAreLeftOutOfTheGrantAndOnlyUnknownScopesAreRefused() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        URI extra = URI.create(attempt.uri().toString().replace("scope=openid", "scope=openid+offline_access"));
        TestBrowser.Page toSignIn = browser.get(extra);
        TestBrowser.Page form = browser.get(toSignIn.location());
        TestBrowser.Page callback = browser.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"),
                "tx", form.hidden("tx"), "email", "bob@example.com", "password", ProviderHarness.PASSWORD));
        AuthorizationCode code = h.code(callback, attempt);
        var tokens = ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse().getTokens();
        assertThat(tokens.getAccessToken().getScope().toStringList()).containsExactlyInAnyOrder("openid", "profile", "email");

        String onlyUnknown = h.attempt().uri().toString().replaceAll("scope=[^&]*", "scope=calendar");
        TestBrowser.Page refused = browser.get(URI.create(onlyUnknown));
        assertThat(AuthorizationResponse.parse(refused.location()).toErrorResponse().getErrorObject().getCode())
                .isEqualTo("invalid_scope");
    }
}
