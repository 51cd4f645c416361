package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Encoded separators and dot segments never move a request out of the route whose rule was checked (BFF-18,
 * BFF-19, §7 test 8). Three upstreams: {@code api} behind {@code /api/orders/**}, a separate {@code admin}
 * upstream behind {@code /api/admin/**} (role admin), {@code spa} behind the public catch-all, and a {@code canary}
 * that no route names. Every request goes out as raw bytes, so the request target on the wire is exactly the one
 * written here; the probes carry the session of a user without the admin role.
 */
class PathTraversalIT {
    static EchoUpstream admin;
    static EchoUpstream canary;
    static GatewayHarness h;
    static RawHttp raw;
    static String userCookie;
    static String adminCookie;

    @BeforeAll
    static void start() throws Exception {
        admin = new EchoUpstream();
        canary = new EchoUpstream();
        h = GatewayHarness.builder().routes(String.join("\n",
                "  - {match: /api/orders/**, upstream: %API%, strip_prefix: /api, access: authenticated}",
                "  - {match: /api/admin/**, upstream: " + admin.url() + ", access: authenticated, require: {roles: [admin]}}",
                "  - {match: /**, upstream: %SPA%, access: public}")).start();
        raw = new RawHttp(h);
        userCookie = "Cookie: " + h.cookieName() + "=" + h.signInAs("ursula").cookie(h.cookieName());
        adminCookie = "Cookie: " + h.cookieName() + "=" + h.user("root").roles("admin").signIn().cookie(h.cookieName());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            LeakScan.assertNothingLeaked(h);
        } finally {
            h.close();
            admin.close();
            canary.close();
        }
    }

    /** One probe and the answer it must get: a status, the reason when the gateway refused, the upstream path otherwise. */
    record Case(String target, int status, String reason, String ordersPath) {
        static Case refused(String target) {
            return new Case(target, 400, "bad_path", null);
        }

        static Case forbidden(String target) {
            return new Case(target, 403, "missing_role", null);
        }

        static Case orders(String target, String upstreamPath) {
            return new Case(target, 200, null, upstreamPath);
        }
    }

    static final List<Case> MATRIX = List.of(
            Case.refused("/api/orders/../admin/x"),
            Case.refused("/api/orders/%2e%2e/admin/x"),
            Case.refused("/api/orders/%2E%2E/admin"),
            Case.refused("/api/orders/..%2fadmin"),
            Case.refused("/api/orders/%2fadmin"),
            Case.refused("/api/orders/%2Fadmin"),
            Case.refused("/api/orders/%5c..%5cadmin"),
            Case.refused("/api/orders/..\\admin"),
            Case.refused("/api/orders;/../admin"),
            Case.refused("/api/orders/x;y"),
            Case.refused("/api/orders//admin"),
            Case.refused("/api/orders/.%2e/admin"),
            Case.refused("/api/orders/./x"),
            Case.refused("/api/orders/%252e%252e/admin"),
            Case.refused("/api/orders/x%00"),
            Case.refused("/api/orders/x%"),
            Case.refused("/api/orders/x%zz"),
            Case.refused("/api/orders//127.0.0.1/x"),
            Case.refused("/api/http://127.0.0.1/x"),
            // %61 is an encoded unreserved "a": decoded before matching, so this is /api/admin and needs the role.
            Case.forbidden("/api/%61dmin/x"),
            Case.forbidden("/api/%61%64%6D%69%6E/x"),
            // A query string that looks like another route does not change which rule applies.
            Case.forbidden("/api/admin/x?/api/orders/1"),
            Case.orders("/api/orders/x?admin=1", "/orders/x?admin=1"),
            Case.orders("/api/orders/x?/../../admin", "/orders/x?/../../admin"),
            Case.orders("/api/orders/%7Euser/1", "/orders/~user/1"),
            Case.orders("/api/orders/a..b/1", "/orders/a..b/1"));

    @Test
    void traversalMatrixNeverEscapesTheOrdersRoute() {
        // A path that the rule engine sees as /api/orders/... but the upstream resolves to /admin would bypass the admin rule.
        int spaBefore = h.spa.count();
        List<String> mismatches = new ArrayList<>();
        for (Case c : MATRIX) {
            int apiBefore = h.api.count();
            Browser.Response r = raw.send("GET", c.target(), userCookie);
            String reason = r.body().startsWith("{") ? new JsonObject(r.body()).getString("reason") : null;
            String reached = h.api.count() > apiBefore ? h.api.last().uri() : null;
            boolean ok = r.status() == c.status()
                    && java.util.Objects.equals(reason, c.reason())
                    && java.util.Objects.equals(reached, c.ordersPath());
            if (!ok) {
                mismatches.add(c.target() + " -> " + r.status() + " " + reason + " upstream=" + reached);
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(admin.count()).as("requests that reached the admin upstream without the role").isZero();
        assertThat(h.spa.count()).as("requests that fell through to the catch-all upstream").isEqualTo(spaBefore);
        assertThat(h.api.seen()).allSatisfy(seen -> assertThat(seen.uri()).startsWith("/orders/"));
    }

    @Test
    void encodedUnreservedCharactersReachTheAdminRouteForAnAdmin() {
        // The positive side of the %61dmin case: it really is the admin route, with the canonical path forwarded.
        int before = admin.count();
        Browser.Response r = raw.send("GET", "/api/%61dmin/x", adminCookie);
        assertThat(r.status()).isEqualTo(200);
        assertThat(admin.count()).isEqualTo(before + 1);
        assertThat(admin.last().uri()).isEqualTo("/api/admin/x");
    }

    @Test
    void requestedHostOrAbsoluteFormNeverChoosesTheUpstream() {
        // Only the route decides where a request goes: Host, X-Forwarded-Host or an absolute URI must not redirect it (BFF-18).
        String elsewhere = "127.0.0.1:" + canary.port();
        List<Browser.Response> answers = List.of(
                raw.send("GET", "/api/orders/1", userCookie, "Host: " + elsewhere),
                raw.send("GET", "/api/orders/2", userCookie, "X-Forwarded-Host: " + elsewhere),
                raw.send("GET", "http://" + elsewhere + "/api/orders/3", userCookie),
                raw.send("GET", "/api/orders/http://" + elsewhere + "/x", userCookie));
        assertThat(canary.count()).isZero();
        assertThat(answers).extracting(Browser.Response::status).containsExactly(200, 200, 200, 400);
        assertThat(h.api.seen()).allSatisfy(seen -> {
            assertThat(seen.uri()).startsWith("/orders/");
            assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + h.api.port());
        });
    }
}
