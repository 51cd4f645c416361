package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrganizationSwitchIT {
    static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.builder()
                .yaml("token_templates:\n  svc:\n    audience: svc-api\n    claims: {org_role: '{{org.role}}'}")
                .routes(String.join("\n",
                        "  - {match: /api/billing/**, upstream: %API%, access: authenticated, token: {template: svc},"
                                + " require: {permissions: ['org:billing:read']}}",
                        "  - {match: /api/svc/**, upstream: %API%, access: authenticated, token: {template: svc}}",
                        "  - {match: /**, upstream: %SPA%, access: public}"))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    /** A user in acme (with the billing permission, active first) and in globex (without it). */
    private static Browser memberOfTwo(String name) {
        return h.user(name)
                .organization("acme", "org:admin", "org:billing:read")
                .organization("globex", "org:member")
                .signIn();
    }

    private static Browser.Response switchTo(Browser b, String organizationId) {
        return b.post("/api/auth/session/organization", new JsonObject().put("organizationId", organizationId).encode(),
                "Content-Type", "application/json");
    }

    private static String activeOrg(Browser b) {
        Browser.Response r = b.get("/api/auth/session");
        assertThat(r.status()).isEqualTo(200);
        return new JsonObject(r.body()).getJsonObject("organization").getString("id");
    }

    private static JWTClaimsSet tokenFor(Browser b, String path) throws Exception {
        assertThat(b.get(path).status()).isEqualTo(200);
        return SignedJWT.parse(h.api.last().header("authorization").substring(7)).getJWTClaimsSet();
    }

    @Test
    void switchingMakesTheSessionAndTheNextMintedTokensCarryTheNewOrganization() throws Exception {
        // Multi-tenant services trust the org claim; after a switch no cached token may still name the old tenant.
        Browser alice = memberOfTwo("alice");
        assertThat(activeOrg(alice)).isEqualTo("acme");
        JWTClaimsSet before = tokenFor(alice, "/api/svc/x");
        assertThat(before.getJSONObjectClaim("org")).containsEntry("id", "acme");
        assertThat(tokenFor(alice, "/api/billing/x").getJWTID()).as("cached while acme is active").isEqualTo(before.getJWTID());

        Browser.Response switched = switchTo(alice, "globex");

        assertThat(switched.status()).isEqualTo(200);
        JsonObject org = new JsonObject(switched.body()).getJsonObject("organization");
        assertThat(org.getString("id")).isEqualTo("globex");
        assertThat(org.getString("role")).isEqualTo("org:member");
        assertThat(activeOrg(alice)).isEqualTo("globex");
        JWTClaimsSet after = tokenFor(alice, "/api/svc/y");
        assertThat(after.getJWTID()).isNotEqualTo(before.getJWTID());
        Map<String, Object> orgClaim = after.getJSONObjectClaim("org");
        assertThat(orgClaim).containsEntry("id", "globex").containsEntry("slug", "globex").containsEntry("role", "org:member");
        assertThat(after.getStringClaim("org_role")).isEqualTo("org:member");
        assertThat(after.getStringClaim("sid")).isEqualTo(before.getStringClaim("sid"));
    }

    @Test
    void permissionsFollowTheActiveOrganization() throws Exception {
        // Route rules read the active organization, so switching away from the one that grants a permission revokes it.
        Browser bob = memberOfTwo("bob");
        assertThat(bob.get("/api/billing/invoices").status()).isEqualTo(200);

        assertThat(switchTo(bob, "globex").status()).isEqualTo(200);
        int seen = h.api.count();
        Browser.Response refused = bob.get("/api/billing/invoices");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(new JsonObject(refused.body()).getString("reason")).isEqualTo("missing_permission");
        assertThat(h.api.count()).isEqualTo(seen);

        assertThat(switchTo(bob, "acme").status()).isEqualTo(200);
        assertThat(tokenFor(bob, "/api/billing/invoices").getJSONObjectClaim("org")).containsEntry("id", "acme");
    }

    @Test
    void switchingToAnOrganizationTheUserIsNotInIsRefused() {
        // Otherwise any user could act in any tenant by naming it.
        Browser carol = memberOfTwo("carol");

        Browser.Response r = switchTo(carol, "initech");

        assertThat(r.status()).isEqualTo(403);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("not_a_member");
        assertThat(activeOrg(carol)).isEqualTo("acme");
    }

    @Test
    void switchWithoutTheCsrfHeaderIsRefused() {
        // A cross-site form could otherwise move a victim into another tenant before they act.
        Browser dave = memberOfTwo("dave");

        Browser.Response r = dave.fetch("POST", "/api/auth/session/organization", "{\"organizationId\":\"globex\"}",
                "Content-Type", "application/json");

        assertThat(r.status()).isEqualTo(403);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("csrf_failed");
        assertThat(activeOrg(dave)).isEqualTo("acme");
    }

    @Test
    void switchFromAnotherSiteIsRefusedEvenWithTheHeader() {
        // The header alone is not enough when the request says it comes from another origin.
        Browser erin = memberOfTwo("erin");

        Browser.Response r = switchTo(erin, "globex");
        assertThat(r.status()).isEqualTo(200);
        Browser.Response cross = erin.post("/api/auth/session/organization", "{\"organizationId\":\"acme\"}",
                "Content-Type", "application/json", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");

        assertThat(cross.status()).isEqualTo(403);
        assertThat(new JsonObject(cross.body()).getString("reason")).isEqualTo("csrf_failed");
        assertThat(activeOrg(erin)).isEqualTo("globex");
    }

    @Test
    void switchWithoutASessionIsUnauthorized() {
        // Nothing to switch without a session; the SPA must learn it has to sign in.
        Browser.Response r = switchTo(h.browser(), "globex");

        assertThat(r.status()).isEqualTo(401);
        assertThat(new JsonObject(r.body()).getBoolean("signedIn")).isFalse();
    }

    @Test
    void switchNeedsAnOrganizationIdInAJsonBody() {
        // A malformed request is the client's mistake (400), never a server error or a silent no-op.
        Browser frank = memberOfTwo("frank");

        assertThat(frank.post("/api/auth/session/organization", "not json").status()).isEqualTo(400);
        assertThat(frank.post("/api/auth/session/organization", "{}").status()).isEqualTo(400);
        assertThat(frank.get("/api/auth/session/organization").status()).isEqualTo(405);
        assertThat(activeOrg(frank)).isEqualTo("acme");
    }
}
