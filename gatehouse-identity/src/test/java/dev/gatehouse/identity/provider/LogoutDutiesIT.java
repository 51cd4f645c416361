package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider's back-channel logout duties (security checklist BCL-OP-1 and BCL-OP-3 to BCL-OP-6): what it
 * advertises, which clients it tells when a session ends, and what each logout token holds. Real provider, real
 * HTTP receivers standing in for the clients' logout endpoints.
 */
class LogoutDutiesIT {
    private static final String RP_SECRET = "relying-party-secret-0123";

    @TempDir
    Path dir;
    BackchannelReceiver gateway;
    BackchannelReceiver mail;
    BackchannelReceiver wiki;
    ProviderHarness h;

    @BeforeEach
    void start() throws Exception {
        gateway = new BackchannelReceiver();
        mail = new BackchannelReceiver();
        wiki = new BackchannelReceiver();
        h = ProviderHarness.start(dir, new TestClock(), gateway.uri());
        h.provider.register(ClientRegistration.webClient("mail", RP_SECRET, callback("mail"), null, mail.uri()));
        h.provider.register(ClientRegistration.webClient("wiki", RP_SECRET, callback("wiki"), null, wiki.uri()));
    }

    @AfterEach
    void stop() {
        h.close();
        gateway.close();
        mail.close();
        wiki.close();
    }

    private static URI callback(String client) {
        return URI.create("http://127.0.0.1:9/" + client + "/callback");
    }

    /** Bob signs in to the gateway in {@code browser}; returns the gateway's ID token. */
    private String signInToGateway(TestBrowser browser) throws Exception {
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page callback = browser.cookie == null
                ? h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD) : browser.get(attempt.uri());
        AuthorizationCode code = h.code(callback, attempt);
        return ((OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse())
                .getOIDCTokens().getIDTokenString();
    }

    /** The already signed-in browser signs in to {@code client} too (single sign-on, no password). */
    private String signInTo(TestBrowser browser, String client) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        URI authorize = new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid"), new ClientID(client),
                callback(client)).endpointURI(h.endpoint("/authorize")).state(new State()).nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
        AuthorizationCode code = AuthorizationResponse.parse(browser.get(authorize).location()).toSuccessResponse()
                .getAuthorizationCode();
        return ((OIDCTokenResponse) ProviderHarness.parse(new TokenRequest(h.endpoint("/token"), new ClientSecretBasic(
                new ClientID(client), new Secret(RP_SECRET)), new AuthorizationCodeGrant(code, callback(client), verifier))
                .toHTTPRequest().send()).toSuccessResponse()).getOIDCTokens().getIDTokenString();
    }

    private void endSession(TestBrowser browser, String idToken) throws Exception {
        TestBrowser.Page page = browser.get(new LogoutRequest(h.endpoint("/end-session"), SignedJWT.parse(idToken)).toURI());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
    }

    private static String sid(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet().getStringClaim("sid");
    }

    @Test
    void discoveryAdvertisesSessionLogoutAndEveryIdTokenCarriesTheSid() throws Exception {
        // BCL §2.1: clients rely on the sid they were given to know which of their sessions a logout token ends.
        OIDCProviderMetadata m = OIDCProviderMetadata.parse(new TestBrowser().get(h.endpoint("/.well-known/openid-configuration")).body());
        assertThat(m.supportsBackChannelLogout()).isTrue();
        assertThat(m.supportsBackChannelLogoutSession()).isTrue();
        TestBrowser browser = new TestBrowser();
        String gatewayToken = signInToGateway(browser);
        String mailToken = signInTo(browser, "mail");
        assertThat(sid(gatewayToken)).isNotBlank().isEqualTo(sid(mailToken));
        assertThat(SignedJWT.parse(gatewayToken).getHeader().getType().toString()).as("an ID token is never typed at+jwt")
                .isEqualTo("JWT");
        endSession(browser, gatewayToken);
        assertThat(SignedJWT.parse(gateway.next()).getJWTClaimsSet().getStringClaim("sid")).isEqualTo(sid(gatewayToken));
    }

    @Test
    void endingASessionTellsExactlyTheClientsThatSignedInThroughIt() throws Exception {
        // BCL §2.3: a client the user never used must not learn of the session, and every client used must.
        TestBrowser first = new TestBrowser();
        String gatewayToken = signInToGateway(first);
        signInTo(first, "mail");
        endSession(first, gatewayToken);
        assertThat(sid(gateway.next())).isEqualTo(sid(gatewayToken));
        assertThat(sid(mail.next())).isEqualTo(sid(gatewayToken));

        TestBrowser second = new TestBrowser();
        String wikiToken = signInTo(signedIn(second), "wiki");
        endSession(second, wikiToken);
        assertThat(sid(wiki.next())).as("the wiki hears only of the session it took part in").isEqualTo(sid(wikiToken));
        gateway.next();
        assertThat(wiki.pending()).isZero();
        assertThat(mail.pending()).isZero();
    }

    private TestBrowser signedIn(TestBrowser browser) throws Exception {
        signInToGateway(browser);
        return browser;
    }

    @Test
    void everyLogoutTokenIsTypedSignedShortLivedAndUniqueAndCarriesNoNonce() throws Exception {
        // BCL §2.4 and §4, RFC 8725 §3.11: a logout token must never pass as an ID token, must expire within
        // minutes, and its jti must let the client refuse a replay.
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            TestBrowser browser = new TestBrowser();
            String idToken = signInToGateway(browser);
            endSession(browser, idToken);
            SignedJWT logout = SignedJWT.parse(gateway.next());
            JWSHeader header = logout.getHeader();
            assertThat(header.getType().toString()).isEqualTo("logout+jwt");
            assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            assertThat(h.provider.keys().publicKeys().getKeyByKeyId(header.getKeyID())).isNotNull();
            assertThat(logout.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(h.provider.keys().publicKeys()
                    .getKeyByKeyId(header.getKeyID()).toECKey()))).isTrue();
            JWTClaimsSet c = logout.getJWTClaimsSet();
            assertThat(c.getIssuer()).isEqualTo(h.issuer().toString());
            assertThat(c.getAudience()).containsExactly(ProviderHarness.CLIENT);
            assertThat(c.getSubject()).isEqualTo(h.bob.id().value());
            assertThat(c.getStringClaim("sid")).isEqualTo(sid(idToken));
            assertThat(c.getClaim("nonce")).isNull();
            assertThat(c.getJSONObjectClaim("events")).containsOnlyKeys("http://schemas.openid.net/event/backchannel-logout");
            assertThat((Map<?, ?>) c.getJSONObjectClaim("events").get("http://schemas.openid.net/event/backchannel-logout")).isEmpty();
            assertThat(c.getIssueTime()).isNotNull();
            long seconds = (c.getExpirationTime().getTime() - c.getIssueTime().getTime()) / 1000;
            assertThat(seconds).isPositive().isLessThanOrEqualTo(120);
            assertThat(ids.add(c.getJWTID())).as("jti " + c.getJWTID() + " is new").isTrue();
        }
    }
}
