package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sessions as the browser and the SPA see them (issue #2 items 4 and 6; checklist BFF-23, BFF-24, V7.2.1-V7.2.4,
 * V7.3.1, V7.3.2): the {@code /api/auth/session} contract, a new id at every sign-in, and the idle and absolute
 * timeouts measured on the harness clock. Tests move the shared clock forward only, and each signs in afresh.
 */
class SessionIT {
    static GatewayHarness h;
    static LoginSteps steps;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start();
        steps = new LoginSteps(h);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            LeakCheck.assertNothingLeaked(h, List.of(LoginIT.SECRET), steps.cookieValuesSeen());
        } finally {
            h.close();
        }
    }

    @Test
    void sessionEndpointDescribesUserOrganizationAndSessionButNoToken() {
        // BFF-23, BRIEF §3.2: the SPA learns who is signed in, in which organization and until when, and never gets a token.
        Instant signedInAt = h.clock.instant();
        Browser bob = h.user("bob").roles("admin").organization("acme", "org:admin", "org:billing:read")
                .organization("globex", "org:member").signIn();
        steps.remember(bob);
        Browser.Response r = bob.get("/api/auth/session");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("cache-control")).contains("no-store");
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getBoolean("signedIn")).isTrue();
        JsonObject user = body.getJsonObject("user");
        assertThat(user.getString("id")).isEqualTo("bob");
        assertThat(user.getString("email")).isEqualTo("bob@example.com");
        assertThat(user.getString("name")).isEqualTo("Bob");
        JsonObject org = body.getJsonObject("organization");
        assertThat(org.getString("id")).isEqualTo("acme");
        assertThat(org.getString("slug")).isEqualTo("acme");
        assertThat(org.getString("role")).isEqualTo("org:admin");
        assertThat(org.getJsonArray("permissions").getList()).containsExactly("org:billing:read");
        JsonArray orgs = body.getJsonArray("organizations");
        assertThat(orgs.stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly("acme", "globex");
        JsonObject session = body.getJsonObject("session");
        assertThat(session.getString("id")).isNotBlank().isNotEqualTo(bob.cookie(h.cookieName()));
        assertThat(Instant.parse(session.getString("expiresAt"))).isEqualTo(signedInAt.plus(Duration.ofHours(12)));
        assertThat(Instant.parse(session.getString("idleExpiresAt"))).isEqualTo(signedInAt.plus(Duration.ofMinutes(30)));
        assertThat(body.getString("logoutUrl")).isEqualTo("/auth/logout");
        assertThat(memberNames(body)).noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT).contains("token"));
        assertThat(LeakCheck.JWT.matcher(r.body()).find()).isFalse();
        assertThat(r.body()).doesNotContain(bob.cookie(h.cookieName()));
    }

    @Test
    void sessionEndpointWithoutSessionAnswers401Json() {
        // BFF-24: the check-session call is an API call: 401 JSON the SPA can act on, never a redirect to the provider.
        Browser.Response r = h.browser().get("/api/auth/session");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.location()).isNull();
        assertThat(r.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getBoolean("signedIn")).isFalse();
        assertThat(body.getString("reason")).isEqualTo("signed_out");
    }

    @Test
    void fetchNeverGetsARedirectEvenWhenItAcceptsHtml() {
        // Issue #2 item 6: a fetch or XHR that follows a redirect to the provider breaks on CORS; it must get 401 JSON instead.
        Browser b = h.browser();
        List<Browser.Response> answers = List.of(
                b.get("/api/auth/session", "Accept", "text/html,*/*"),
                b.get("/app/x", "Accept", "text/html,*/*"),
                b.send(b.request("/app/x").header("Accept", "application/json").GET().build()),
                b.send(b.request("/api/auth/session").header("Accept", "*/*").header("X-Requested-With", "XMLHttpRequest").GET().build()));
        for (Browser.Response r : answers) {
            assertThat(r.status()).as(r.uri().getPath()).isEqualTo(401);
            assertThat(r.location()).isNull();
            assertThat(new JsonObject(r.body()).getBoolean("signedIn")).isFalse();
        }
        // A real page navigation to the authenticated page route may still be sent to sign in.
        Browser.Response page = b.navigate("/app/x");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).isEqualTo("/auth/login?returnTo=%2Fapp%2Fx");
    }

    @Test
    void forgedOrUnknownCookieIsNoSession() {
        // V7.2.1: only a value the gateway issued and still holds names a session; a well-formed random one or garbage does not.
        int upstreamBefore = h.spa.seen().size();
        for (String value : List.of(randomCookieValue(), "x", "../../etc/passwd", "A".repeat(43), "eyJhbGciOiJub25lIn0.e30.")) {
            Browser b = h.browser();
            b.setCookie(h.cookieName(), value);
            assertThat(b.get("/api/auth/session").status()).as(value).isEqualTo(401);
            assertThat(b.get("/app/x").status()).as(value).isEqualTo(401);
        }
        assertThat(h.spa.seen()).hasSize(upstreamBefore);
    }

    @Test
    void signInReplacesACookiePlantedBeforeIt() {
        // V7.2.4, session fixation: a cookie an attacker planted before sign-in (random or the attacker's own session) must not become the victim's session.
        Browser mallory = h.signInAs("mallory");
        String malloryCookie = mallory.cookie(h.cookieName());
        steps.remember(malloryCookie);
        for (String planted : List.of(randomCookieValue(), malloryCookie)) {
            Browser victim = h.browser();
            victim.setCookie(h.cookieName(), planted);
            h.user("vera").signIn(victim);
            steps.remember(victim);
            assertThat(victim.cookie(h.cookieName())).isNotEqualTo(planted);
            assertThat(victim.get("/api/auth/session").body()).contains("vera@example.com");
            Browser withPlanted = h.browser();
            withPlanted.setCookie(h.cookieName(), planted);
            Browser.Response r = withPlanted.get("/api/auth/session");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).doesNotContain("vera");
        }
    }

    @Test
    void signingInAgainEndsTheBrowsersPreviousSession() {
        // V7.2.4: re-authentication issues a new id and terminates the old one, so a copy taken before it is worthless.
        Browser b = h.signInAs("alice");
        String first = b.cookie(h.cookieName());
        h.user("alice").signIn(b);
        steps.remember(b);
        String second = b.cookie(h.cookieName());
        steps.remember(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(b.get("/api/auth/session").status()).isEqualTo(200);
        Browser copy = h.browser();
        copy.setCookie(h.cookieName(), first);
        assertThat(copy.get("/api/auth/session").status()).isEqualTo(401);
    }

    @Test
    void everySignInGetsItsOwnRandomSessionId() {
        // V7.2.2, V7.2.3: sessions use fresh 256-bit random ids, so two sign-ins of one user never share or predict a cookie.
        Set<String> cookies = new HashSet<>();
        Set<String> publicIds = new HashSet<>();
        int signIns = 20;
        for (int i = 0; i < signIns; i++) {
            Browser b = h.signInAs("sam");
            steps.remember(b);
            String value = b.cookie(h.cookieName());
            assertThat(Base64.getUrlDecoder().decode(value)).hasSize(32);
            cookies.add(value);
            Browser.Response r = b.get("/api/auth/session");
            assertThat(r.status()).isEqualTo(200);
            publicIds.add(new JsonObject(r.body()).getJsonObject("session").getString("id"));
        }
        assertThat(cookies).hasSize(signIns);
        assertThat(publicIds).hasSize(signIns);
    }

    @Test
    void idleSessionExpires() {
        // V7.3.1: a session left alone past idle_timeout (30m here) is over, with a reason the SPA can show.
        Browser b = h.signInAs("ida");
        steps.remember(b);
        String cookie = b.cookie(h.cookieName());
        h.clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        Browser probe = h.browser();
        probe.setCookie(h.cookieName(), cookie);
        assertThat(probe.get("/app/x").status()).as("just inside the idle window").isEqualTo(200);

        h.clock.advance(Duration.ofMinutes(30).plusSeconds(1));
        Browser.Response r = b.get("/api/auth/session");
        assertThat(r.status()).isEqualTo(401);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("session_expired");
        Browser copy = h.browser();
        copy.setCookie(h.cookieName(), cookie);
        assertThat(copy.get("/app/x").status()).isEqualTo(401);
    }

    @Test
    void activityKeepsTheIdleWindowSliding() {
        // V7.3.1: the idle timeout counts from the last request, so a user who keeps working is not signed out after 30 minutes.
        Browser b = h.signInAs("sid");
        steps.remember(b);
        Instant previousIdleEnd = null;
        for (int i = 0; i < 4; i++) {
            h.clock.advance(Duration.ofMinutes(20));
            Browser.Response r = b.get("/api/auth/session");
            assertThat(r.status()).as("after " + (i + 1) * 20 + " minutes").isEqualTo(200);
            Instant idleEnd = Instant.parse(new JsonObject(r.body()).getJsonObject("session").getString("idleExpiresAt"));
            assertThat(idleEnd).isEqualTo(h.clock.instant().plus(Duration.ofMinutes(30)));
            if (previousIdleEnd != null) {
                assertThat(idleEnd).isAfter(previousIdleEnd);
            }
            previousIdleEnd = idleEnd;
        }
    }

    @Test
    void absoluteTimeoutEndsEvenAnActiveSession() throws Exception {
        // V7.3.2: however active, a session ends at absolute_timeout (2h here), bounding what a stolen cookie is worth.
        try (GatewayHarness shortLived = GatewayHarness.builder().session("absolute_timeout: 2h").start()) {
            LoginSteps s = new LoginSteps(shortLived);
            Instant signedInAt = shortLived.clock.instant();
            Browser b = shortLived.signInAs("abe");
            s.remember(b);
            String cookie = b.cookie(shortLived.cookieName());
            Browser.Response first = b.get("/api/auth/session");
            assertThat(Instant.parse(new JsonObject(first.body()).getJsonObject("session").getString("expiresAt")))
                    .isEqualTo(signedInAt.plus(Duration.ofHours(2)));
            for (int i = 0; i < 5; i++) {
                shortLived.clock.advance(Duration.ofMinutes(20));
                assertThat(b.get("/app/x").status()).as("active after " + (i + 1) * 20 + " minutes").isEqualTo(200);
            }
            shortLived.clock.advance(Duration.ofMinutes(20).minusSeconds(1));
            assertThat(b.get("/api/auth/session").status()).as("one second before the absolute limit").isEqualTo(200);
            shortLived.clock.advance(Duration.ofSeconds(2));
            Browser.Response r = b.get("/api/auth/session");
            assertThat(r.status()).isEqualTo(401);
            assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("session_expired");
            Browser copy = shortLived.browser();
            copy.setCookie(shortLived.cookieName(), cookie);
            assertThat(copy.get("/app/x").status()).isEqualTo(401);
            LeakCheck.assertNothingLeaked(shortLived, List.of(LoginIT.SECRET), s.cookieValuesSeen());
        }
    }

    private static String randomCookieValue() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static List<String> memberNames(Object json) {
        List<String> names = new java.util.ArrayList<>();
        if (json instanceof JsonObject o) {
            for (String k : o.fieldNames()) {
                names.add(k);
                names.addAll(memberNames(o.getValue(k)));
            }
        } else if (json instanceof JsonArray a) {
            a.forEach(v -> names.addAll(memberNames(v)));
        }
        return names;
    }
}
