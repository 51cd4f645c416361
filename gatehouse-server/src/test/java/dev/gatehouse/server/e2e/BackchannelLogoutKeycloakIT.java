package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Back-channel logout with a provider that really sends logout tokens: Keycloak 26, its own login form, its own
 * signing keys. Sign-in goes through Keycloak's HTML form in a scripted browser; logouts start at Keycloak's admin
 * API (as an administrator or a "sign out everywhere" page would) or at the gateway (RP-initiated logout).
 */
class BackchannelLogoutKeycloakIT {
    private static final Pattern LOGIN_FORM_ACTION = Pattern.compile("action=\"([^\"]*/login-actions/authenticate[^\"]*)\"");
    private static final Duration LOGOUT_ARRIVES_WITHIN = Duration.ofSeconds(10);
    /** The harness configures the gateway with this client secret; the imported realm gives the client the same. */
    private static final String CLIENT_SECRET = "not-a-real-secret";

    static GatewayHarness h;
    static KeycloakServer keycloak;

    /** A browser signed in to the gateway through Keycloak, and the Keycloak session (the {@code sid}) behind it. */
    record SignedIn(Browser browser, String keycloakSession) {
    }

    @BeforeAll
    static void start() throws Exception {
        KeycloakServer.assumeAvailable();
        int keycloakPort = KeycloakServer.freePort();
        // The gateway starts first because the realm must name its port; it retries discovery until Keycloak is up.
        // No offline_access: Keycloak then makes the session an offline one, which by design survives an admin
        // logout and session deletion at Keycloak, so no logout token would ever be sent for it.
        h = GatewayHarness.builder()
                .issuerOverride("http://127.0.0.1:" + keycloakPort + "/realms/" + KeycloakServer.REALM)
                .identity("scopes: [openid, profile, email]")
                .start();
        keycloak = KeycloakServer.start(keycloakPort, h.baseUrl(), CLIENT_SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (keycloak != null) {
            keycloak.close();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void signInThroughKeycloakGivesASessionThatRelaysKeycloakAccessTokens() {
        // The baseline for the logout tests: a real provider's form, code flow and tokens behind one cookie.
        SignedIn alice = signIn("alice", "alice-password");

        Browser.Response session = alice.browser().get("/api/auth/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body()).contains("alice@example.test");
        assertThat(alice.browser().get("/api/orders/7").status()).isEqualTo(200);
        Map<String, Object> token = GatewayHarness.claims(h.api.last().header("authorization").substring("Bearer ".length()));
        assertThat(token).containsEntry("iss", keycloak.issuer())
                .containsEntry("azp", GatewayHarness.CLIENT_ID)
                .containsEntry("sid", alice.keycloakSession());
        assertNoTokenReachedABrowser();
    }

    @Test
    void adminLogoutAtKeycloakEndsEveryGatewaySessionOfThatUserAndNoOther() {
        // Signing a user out at the provider must reach the gateway, or a stolen or forgotten session lives on.
        SignedIn alice = signIn("alice", "alice-password");
        SignedIn bob = signIn("bob", "bob-password");

        syncClock();
        keycloak.logoutUser(keycloak.userId("alice"));

        assertThat(KeycloakServer.eventually(LOGOUT_ARRIVES_WITHIN, () -> !signedIn(alice.browser())))
                .as("alice's gateway session ends after Keycloak's back-channel logout").isTrue();
        assertThat(signedIn(bob.browser())).isTrue();
        assertNoTokenReachedABrowser();
    }

    @Test
    void endingOneKeycloakSessionEndsOnlyTheBrowserItBelongsTo() {
        // Keycloak's logout token names the session (sid): revoking one device must leave the user's others alone.
        SignedIn laptop = signIn("alice", "alice-password");
        SignedIn phone = signIn("alice", "alice-password");
        assertThat(laptop.keycloakSession()).isNotEqualTo(phone.keycloakSession());

        syncClock();
        keycloak.deleteSession(laptop.keycloakSession());

        assertThat(KeycloakServer.eventually(LOGOUT_ARRIVES_WITHIN, () -> !signedIn(laptop.browser())))
                .as("the laptop's gateway session ends").isTrue();
        assertThat(signedIn(phone.browser())).isTrue();
        assertNoTokenReachedABrowser();
    }

    @Test
    void signOutAtTheGatewayEndsTheKeycloakSession() throws Exception {
        // RP-initiated logout: signing out of the app must also end the provider session, or the next login is silent.
        SignedIn alice = signIn("alice", "alice-password");
        String userId = keycloak.userId("alice");
        assertThat(keycloak.sessionIds(userId)).contains(alice.keycloakSession());

        Browser.Response out = alice.browser().post("/auth/logout", null);

        assertThat(out.status()).isEqualTo(200);
        assertThat(signedIn(alice.browser())).isFalse();
        // Before the browser goes anywhere, the gateway's own revocation of its refresh token has ended the session.
        assertThat(KeycloakServer.eventually(LOGOUT_ARRIVES_WITHIN,
                () -> !keycloak.sessionIds(userId).contains(alice.keycloakSession())))
                .as("Keycloak drops the session once the gateway revokes its refresh token").isTrue();
        String logoutUrl = new ObjectMapper().readTree(out.body()).get("logoutUrl").asText();
        assertThat(logoutUrl).startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?").contains("id_token_hint=");
        Browser.Response end = alice.browser().navigateFollowing(logoutUrl);
        assertThat(end.uri().toString()).as("Keycloak sends the browser back to the gateway").startsWith(h.baseUrl() + "/");

        Browser.Response again = alice.browser().navigateFollowing("/auth/login?returnTo=/");
        assertThat(again.uri().toString()).as("no silent single sign-on after logout").startsWith(keycloak.issuer());
        assertThat(LOGIN_FORM_ACTION.matcher(again.body()).find()).isTrue();
        assertThat(alice.browser().cookie(h.cookieName())).isNull();
        assertNoTokenReachedABrowser();
    }

    /** Runs the whole login in a new browser: gateway, Keycloak's form (parsed from its HTML), callback. */
    private static SignedIn signIn(String username, String password) {
        syncClock();
        String userId = keycloak.userId(username);
        List<String> before = keycloak.sessionIds(userId);
        Browser browser = h.browser();

        Browser.Response page = browser.navigateFollowing("/auth/login?returnTo=/");
        assertThat(page.uri().toString()).as("Keycloak's login page").startsWith(keycloak.issuer());
        Matcher action = LOGIN_FORM_ACTION.matcher(page.body());
        assertThat(action.find()).as("Keycloak's login form in %s", page.uri()).isTrue();
        Browser.Response r = browser.send(browser.request(action.group(1).replace("&amp;", "&"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html,application/xhtml+xml")
                .header("Origin", keycloak.url())
                .header("Sec-Fetch-Mode", "navigate")
                .header("Sec-Fetch-Site", "same-origin")
                .header("Sec-Fetch-Dest", "document")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + form(username) + "&password=" + form(password)
                        + "&credentialId="))
                .build());
        for (int hops = 0; hops < 10 && r.status() / 100 == 3 && r.location() != null; hops++) {
            r = browser.navigate(r.uri().resolve(r.location()).toString());
        }
        assertThat(browser.cookie(h.cookieName()))
                .as("gateway session after signing in at Keycloak (last answer %s from %s)", r.status(), r.uri()).isNotNull();

        List<String> created = new ArrayList<>(keycloak.sessionIds(userId).stream().distinct().toList());
        created.removeAll(before);
        assertThat(created).as("exactly one new Keycloak session").hasSize(1);
        return new SignedIn(browser, created.get(0));
    }

    /**
     * The harness clock stands still unless moved, while Keycloak stamps its tokens with real time; the gateway
     * checks a logout token's {@code iat} against its own clock, so it is brought up to now before each step.
     */
    private static void syncClock() {
        Duration behind = Duration.between(h.clock.instant(), Instant.now());
        if (!behind.isNegative()) {
            h.clock.advance(behind);
        }
    }

    private static boolean signedIn(Browser browser) {
        return browser.get("/api/auth/session").status() == 200;
    }

    private static void assertNoTokenReachedABrowser() {
        assertThat(h.responses().leaks(h.tokensSeenUpstream())).isEmpty();
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
