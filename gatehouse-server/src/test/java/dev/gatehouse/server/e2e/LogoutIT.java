package dev.gatehouse.server.e2e;

import static dev.gatehouse.server.e2e.LoginSteps.query;
import static dev.gatehouse.server.e2e.ProviderRequests.drain;
import static dev.gatehouse.server.e2e.ProviderRequests.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-out (issue #2 item 3; checklist BFF-12/14 for logout, V7.4.1, C-10, BCL-RP-5's revocation half): CSRF on
 * {@code POST /auth/logout}, the session ended server-side so copies of the cookie die with it, the cookie cleared,
 * the refresh token revoked at the provider, and the provider's end-session URL with {@code id_token_hint}.
 */
class LogoutIT {
    static GatewayHarness h;
    static LoginSteps steps;
    static final List<String> secrets = new CopyOnWriteArrayList<>(List.of(LoginIT.SECRET));

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start();
        steps = new LoginSteps(h);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            LeakCheck.assertNothingLeaked(h, secrets, steps.cookieValuesSeen());
        } finally {
            h.close();
        }
    }

    @Test
    void logoutWithoutCsrfHeaderIsRefusedAndSessionSurvives() {
        // BFF-14: a forged cross-site form or fetch cannot carry X-CSRF, so without it sign-out is refused and the user stays signed in.
        Browser alice = signedIn("alice");
        Browser.Response fetch = alice.fetch("POST", "/auth/logout", null);
        Browser.Response form = alice.send(alice.request("/auth/logout")
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "navigate").header("Accept", "text/html")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x=1")).build());
        for (Browser.Response r : List.of(fetch, form)) {
            assertThat(r.status()).isEqualTo(403);
            assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("csrf_failed");
            assertThat(r.setCookies()).isEmpty();
        }
        assertThat(alice.get("/api/auth/session").status()).isEqualTo(200);
    }

    @Test
    void logoutFromAnotherSiteIsRefusedEvenWithTheHeader() {
        // BFF-30: the header alone is not enough; a request that Origin or Sec-Fetch-Site marks as cross-site is refused too.
        Browser bea = signedIn("bea");
        List<String[]> crossSite = List.of(
                new String[] {"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"},
                new String[] {"Origin", "https://evil.example"},
                new String[] {"Sec-Fetch-Site", "cross-site"},
                new String[] {"Origin", "null", "Sec-Fetch-Site", "cross-site"},
                new String[] {"Origin", "http://127.0.0.1.evil.example", "Sec-Fetch-Site", "same-site"});
        for (String[] headers : crossSite) {
            Browser.Response r = bea.post("/auth/logout", null, headers);
            assertThat(r.status()).as(String.join(" ", headers)).isEqualTo(403);
            assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("csrf_failed");
            assertThat(r.setCookies()).isEmpty();
        }
        assertThat(bea.get("/api/auth/session").status()).isEqualTo(200);
    }

    @Test
    void logoutIsPostOnly() {
        // A link or <img> pointing at /auth/logout must not sign the user out (forced logout is a CSRF too).
        Browser cid = signedIn("cid");
        Browser.Response r = cid.navigate("/auth/logout");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.setCookies()).isEmpty();
        assertThat(cid.get("/api/auth/session").status()).isEqualTo(200);
    }

    @Test
    void logoutEndsTheSessionServerSideAndReturnsTheEndSessionUrl() {
        // V7.4.1, issue #2 item 3: after sign-out every copy of the cookie is dead, and the SPA gets the provider's end-session URL.
        Browser lou = signedIn("lou");
        String cookie = lou.cookie(h.cookieName());
        int apiCallsBefore = h.api.seen().size();

        Browser.Response r = lou.post("/auth/logout", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(awaitRevocation()).isNotNull();
        assertThat(r.header("cache-control")).contains("no-store");
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getBoolean("signedIn")).isFalse();
        URI logoutUrl = URI.create(body.getString("logoutUrl"));
        assertThat(logoutUrl.toString()).startsWith(h.provider.endSessionEndpointUrl(GatewayHarness.ISSUER_ID) + "?");
        Map<String, String> q = query(logoutUrl);
        assertThat(q).containsEntry("post_logout_redirect_uri", h.baseUrl() + "/");
        JWTClaimsSet hint = claims(q.get("id_token_hint"));
        assertThat(hint.getSubject()).isEqualTo("lou");
        assertThat(hint.getAudience()).contains(GatewayHarness.CLIENT_ID);
        assertThat(hint.getIssuer()).isEqualTo(h.issuer());

        SetCookie cleared = SetCookie.find(r.setCookies(), h.cookieName()).orElseThrow();
        assertThat(cleared.value()).isEmpty();
        assertThat(cleared.attribute("max-age")).isEqualTo("0");
        assertThat(cleared.has("secure") && cleared.has("httponly")).isTrue();
        assertThat(cleared.attribute("path")).isEqualTo("/");
        assertThat(lou.cookie(h.cookieName())).isNull();

        Browser copy = h.browser();
        copy.setCookie(h.cookieName(), cookie);
        assertThat(copy.get("/api/auth/session").status()).isEqualTo(401);
        assertThat(copy.get("/app/x").status()).isEqualTo(401);
        assertThat(copy.get("/api/orders/1").status()).isEqualTo(401);
        assertThat(h.api.seen()).hasSize(apiCallsBefore);

        // The provider accepts the URL and sends the browser back to the gateway.
        Browser.Response atProvider = lou.navigate(logoutUrl.toString());
        assertThat(atProvider.status()).isEqualTo(302);
        assertThat(atProvider.location()).startsWith(h.baseUrl() + "/");
    }

    @Test
    void logoutRevokesTheRefreshTokenAtTheProvider() throws Exception {
        // BFF-22, BCL-RP-5: a refresh token outliving the session would keep the grant alive at the provider; sign-out revokes it.
        Browser rex = signedIn("rex");
        drain(h.provider);
        assertThat(rex.post("/auth/logout", null).status()).isEqualTo(200);

        RecordedRequest revoke = awaitRevocation();
        assertThat(revoke).as("a revocation request at the provider").isNotNull();
        Map<String, String> form = form(revoke);
        String refreshToken = form.get("token");
        assertThat(refreshToken).isNotBlank();
        assertThat(form).containsEntry("token_type_hint", "refresh_token");
        String basic = Base64.getEncoder().encodeToString((GatewayHarness.CLIENT_ID + ":" + LoginIT.SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(revoke.getHeader("Authorization")).isEqualTo("Basic " + basic);

        // The provider no longer honours it.
        TokenResponse refreshed = OIDCTokenResponseParser.parse(new TokenRequest(h.provider.tokenEndpointUrl(GatewayHarness.ISSUER_ID).uri(),
                new ClientSecretBasic(new ClientID(GatewayHarness.CLIENT_ID), new Secret(LoginIT.SECRET)),
                new RefreshTokenGrant(new RefreshToken(refreshToken))).toHTTPRequest().send());
        assertThat(refreshed.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) refreshed).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void logoutWithoutSessionStillClearsTheCookie() {
        // A stale tab may sign out after the session ended: it gets a clean answer, a cleared cookie and no id_token_hint.
        Browser stale = h.browser();
        Browser.Response r = stale.post("/auth/logout", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(SetCookie.find(r.setCookies(), h.cookieName()).orElseThrow().attribute("max-age")).isEqualTo("0");
        assertThat(query(URI.create(new JsonObject(r.body()).getString("logoutUrl")))).doesNotContainKey("id_token_hint");
    }

    @Test
    void logoutIgnoresRedirectTargetsFromTheRequest() {
        // C-10: sign-out is a classic open-redirect spot; the post-logout target comes from config, never from the request.
        Browser eve = signedIn("eve");
        Browser.Response r = eve.post("/auth/logout?returnTo=https%3A%2F%2Fevil.example&post_logout_redirect_uri=https%3A%2F%2Fevil.example",
                "post_logout_redirect_uri=https%3A%2F%2Fevil.example", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.status()).isEqualTo(200);
        assertThat(awaitRevocation()).isNotNull();
        URI logoutUrl = URI.create(new JsonObject(r.body()).getString("logoutUrl"));
        assertThat(query(logoutUrl)).containsEntry("post_logout_redirect_uri", h.baseUrl() + "/");
        assertThat(r.body()).doesNotContain("evil.example");
    }

    /**
     * The revocation that a sign-out sends from a worker thread after answering; each test takes its own, so none
     * is left in the provider's queue for the next test. The token is remembered for the leak scan.
     */
    private static RecordedRequest awaitRevocation() {
        RecordedRequest revoke = ProviderRequests.await(h.provider, "/revoke", Duration.ofSeconds(10));
        if (revoke != null) {
            secrets.add(form(revoke).get("token"));
        }
        return revoke;
    }

    private static Browser signedIn(String user) {
        Browser b = h.signInAs(user);
        steps.remember(b);
        return b;
    }

    private static JWTClaimsSet claims(String jwt) {
        try {
            return JWTParser.parse(jwt).getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new AssertionError("id_token_hint is not a JWT", e);
        }
    }
}
