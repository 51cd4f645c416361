package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Route access levels and requirements as a browser meets them: who reaches which upstream, and what the others get. */
class ProxyAccessIT {
    static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.builder().routes(String.join("\n",
                "  - {match: /api/public/**, upstream: %API%, access: public}",
                "  - {match: /api/optional/**, upstream: %API%, access: optional}",
                "  - {match: /api/orders/**, upstream: %API%, strip_prefix: /api, access: authenticated, token: relay}",
                "  - {match: /api/admin/**, upstream: %API%, access: authenticated, require: {roles: [admin]}}",
                "  - {match: /api/billing/**, upstream: %API%, access: authenticated, require: {permissions: [org:billing:read]}}",
                "  - {match: /api/org/**, upstream: %API%, access: authenticated, require: {organization: any}}",
                "  - {match: /api/catalog/**, upstream: %API%, access: public, methods: [GET]}",
                "  - {match: /app/**, upstream: %SPA%, access: authenticated}",
                "  - {match: /**, upstream: %SPA%, access: public}")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            LeakScan.assertNothingLeaked(h);
        } finally {
            h.close();
        }
    }

    @Test
    void publicRouteServesAnonymousCallerAndForwardsNoCredential() {
        // Public routes must work without a session, and an anonymous call must not pick up any credential on the way.
        Browser anonymous = h.browser();
        Browser.Response r = anonymous.get("/api/public/items?page=2");
        assertThat(r.status()).isEqualTo(200);
        EchoUpstream.Seen seen = h.api.last();
        assertThat(seen.uri()).isEqualTo("/api/public/items?page=2");
        assertThat(seen.header("authorization")).isNull();
        assertThat(seen.header("cookie")).isNull();
    }

    @Test
    void optionalRouteForwardsWithAndWithoutSession() {
        // Optional routes serve both audiences; a stale cookie must not turn them into a sign-in wall.
        int before = h.api.count();
        assertThat(h.browser().get("/api/optional/feed").status()).isEqualTo(200);
        assertThat(h.signInAs("olga").get("/api/optional/feed").status()).isEqualTo(200);
        Browser stale = h.browser();
        stale.setCookie(h.cookieName(), "x".repeat(43));
        assertThat(stale.get("/api/optional/feed").status()).isEqualTo(200);
        assertThat(h.api.count()).isEqualTo(before + 3);
        assertThat(h.api.last().header("cookie")).isNull();
    }

    @Test
    void authenticatedRouteAnswersFetchWith401JsonAndNeverRedirects() {
        // An SPA's fetch cannot follow a redirect to the provider; it must get a JSON 401 it can act on, whatever its Accept.
        Browser anonymous = h.browser();
        int before = h.spa.count() + h.api.count();
        Browser.Response plainFetch = anonymous.get("/api/orders/1");
        Browser.Response htmlFetch = anonymous.get("/app/dashboard", "Accept", "text/html,application/xhtml+xml");
        Browser.Response xhrWithoutFetchMetadata = anonymous.send(anonymous.request("/app/dashboard")
                .header("Accept", "application/json").GET().build());
        Browser.Response navigatingPost = anonymous.send(anonymous.request("/app/dashboard")
                .header("Accept", "text/html").header("Sec-Fetch-Mode", "navigate")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        for (Browser.Response r : new Browser.Response[] {plainFetch, htmlFetch, xhrWithoutFetchMetadata, navigatingPost}) {
            assertThat(r.status()).as(r.uri().toString()).isEqualTo(401);
            assertThat(r.location()).isNull();
            assertThat(r.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonObject body = new JsonObject(r.body());
            assertThat(body.getBoolean("signedIn")).isFalse();
            assertThat(body.getString("reason")).isEqualTo("signed_out");
        }
        assertThat(h.spa.count() + h.api.count()).isEqualTo(before);
    }

    @Test
    void navigationToAuthenticatedPageRedirectsToLoginAndComesBackToTheSamePage() {
        // A person opening a protected page should land on it after signing in, query string and all.
        String original = "/app/reports/2024?tab=open&q=a%20b";
        Browser browser = h.browser();
        Browser.Response r = browser.navigate(original);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.location()).isEqualTo("/auth/login?returnTo=" + URLEncoder.encode(original, StandardCharsets.UTF_8));
        assertThat(URLDecoder.decode(r.location().substring("/auth/login?returnTo=".length()), StandardCharsets.UTF_8))
                .isEqualTo(original);

        h.user("paula").enqueue();
        Browser.Response landed = browser.navigateFollowing(r.location());
        assertThat(landed.status()).isEqualTo(200);
        assertThat(h.spa.last().uri()).isEqualTo(original);
    }

    @Test
    void missingGlobalRoleIsForbiddenWithReason() {
        // Signed in but lacking the role is a 403 (not a sign-in prompt), and the upstream is never asked.
        Browser alice = h.signInAs("alice");
        int before = h.api.count();
        Browser.Response r = alice.get("/api/admin/users");
        assertThat(r.status()).isEqualTo(403);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("missing_role");
        assertThat(h.api.count()).isEqualTo(before);

        assertThat(h.user("ada").roles("admin").signIn().get("/api/admin/users").status()).isEqualTo(200);
        assertThat(h.api.last().uri()).isEqualTo("/api/admin/users");
    }

    @Test
    void permissionRequirementIsCheckedAgainstTheActiveOrganization() {
        // org:billing:read gates billing data: a plain member is refused, a member holding the permission gets through.
        Browser member = h.user("mike").organization("acme", "org:member").signIn();
        int before = h.api.count();
        Browser.Response refused = member.get("/api/billing/invoices");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(new JsonObject(refused.body()).getString("reason")).isEqualTo("missing_permission");
        assertThat(h.api.count()).isEqualTo(before);

        Browser reader = h.user("bea").organization("acme", "org:member", "org:billing:read").signIn();
        assertThat(reader.get("/api/billing/invoices").status()).isEqualTo(200);
        assertThat(h.api.last().uri()).isEqualTo("/api/billing/invoices");
    }

    @Test
    void organizationRequirementRefusesUserWithoutOrganization() {
        // Tenant-scoped APIs must not be reached by a user who belongs to no organization.
        Browser loner = h.signInAs("lone");
        int before = h.api.count();
        Browser.Response refused = loner.get("/api/org/settings");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(new JsonObject(refused.body()).getString("reason")).isEqualTo("organization_required");
        assertThat(h.api.count()).isEqualTo(before);

        assertThat(h.user("otto").organization("acme", "org:member").signIn().get("/api/org/settings").status()).isEqualTo(200);
    }

    @Test
    void methodOutsideTheRoutesListIsRefusedWith405BeforeReachingUpstream() {
        // A read-only route must not become a write path because the upstream happens to accept DELETE (BFF-20).
        Browser browser = h.browser();
        int before = h.api.count();
        Browser.Response r = browser.fetch("DELETE", "/api/catalog/items/7", null);
        assertThat(r.status()).isEqualTo(405);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("method_not_allowed");
        assertThat(r.header("allow")).hasValue("GET");
        assertThat(h.api.count()).isEqualTo(before);

        assertThat(browser.get("/api/catalog/items/7").status()).isEqualTo(200);
        assertThat(h.api.count()).isEqualTo(before + 1);
    }
}
