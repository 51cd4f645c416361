package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.config.GatewayConfig;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cross-site request forgery against cookie-authenticated calls (BFF-12..15, BFF-30, §7 test 3): a state-changing
 * request that carries the session cookie needs the {@code X-CSRF: 1} header, which no other site can add without a
 * CORS preflight, and must not come from another site or origin by {@code Sec-Fetch-Site} / {@code Origin}.
 */
class CsrfIT {
    static final List<String> UNSAFE = List.of("POST", "PUT", "PATCH", "DELETE");

    static GatewayHarness h;
    static GatewayHarness withAdminOrigin;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start();
        withAdminOrigin = GatewayHarness.builder().csrf("allowed_origins: [https://admin.example.com]").start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            LeakScan.assertNothingLeaked(h);
            LeakScan.assertNothingLeaked(withAdminOrigin);
        } finally {
            h.close();
            withAdminOrigin.close();
        }
    }

    private static int upstreamCount(GatewayHarness world) {
        return world.api.count() + world.spa.count();
    }

    private static String origin(GatewayHarness world) {
        return world.baseUrl();
    }

    private static void assertCsrfRefused(Browser.Response r, String what) {
        assertThat(r.status()).as(what).isEqualTo(403);
        assertThat(new JsonObject(r.body()).getString("reason")).as(what).isEqualTo("csrf_failed");
    }

    /** A request path that the route's pattern matches. */
    private static String samplePath(GatewayConfig.Route route) {
        return route.match().replace("/**", "/csrf-probe").replace("*", "x");
    }

    @Test
    void everyRouteRefusesStateChangingMethodsWithoutTheHeader() {
        // The header rule must hold on every route the config declares, not only the ones someone remembered (BFF-15).
        Browser alice = h.user("alice").roles("admin").organization("acme", "org:admin", "org:billing:read").signIn();
        int before = upstreamCount(h);
        List<String> paths = new ArrayList<>();
        h.config.routes().forEach(route -> paths.add(samplePath(route)));
        for (String path : paths) {
            for (String method : UNSAFE) {
                Browser.Response r = alice.fetch(method, path, "{\"amount\":100}", "Content-Type", "application/json");
                assertCsrfRefused(r, method + " " + path);
            }
        }
        // The gateway's own state-changing endpoint (it accepts POST only) follows the same rule.
        assertCsrfRefused(alice.fetch("POST", "/auth/logout", null), "POST /auth/logout");
        assertThat(upstreamCount(h)).isEqualTo(before);
        assertThat(alice.get("/api/auth/session").status()).as("the refused logout left the session alone").isEqualTo(200);
    }

    @Test
    void headerAloneIsNotEnoughFromAnotherSite() {
        // A page elsewhere that got the header through a permissive preflight must still be refused by Fetch Metadata (BFF-30).
        Browser bob = h.signInAs("bob");
        int before = upstreamCount(h);
        assertCsrfRefused(bob.post("/api/orders/1", "{}", "Sec-Fetch-Site", "cross-site"), "cross-site without Origin");
        assertCsrfRefused(bob.post("/api/orders/1", "{}", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.test"),
                "cross-site from evil.test");
        assertCsrfRefused(bob.post("/api/orders/1", "{}", "Sec-Fetch-Site", "same-site",
                "Origin", "http://evil.127.0.0.1.nip.io:" + h.gateway.port()), "sibling subdomain");
        assertCsrfRefused(bob.post("/api/orders/1", "{}", "Sec-Fetch-Site", "same-site"), "same-site without Origin");
        assertThat(upstreamCount(h)).isEqualTo(before);
    }

    @Test
    void foreignOriginIsRefusedWhenFetchMetadataIsMissing() {
        // Older browsers send no Sec-Fetch-*; the Origin header is then the evidence, compared with the configured origin.
        Browser carol = h.signInAs("carol");
        int before = upstreamCount(h);
        for (String origin : List.of("https://evil.test", "null", origin(h) + ".evil.test", "http://127.0.0.1:1")) {
            HttpRequest request = carol.request("/api/orders/1").header("X-CSRF", "1").header("Origin", origin)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            assertCsrfRefused(carol.send(request), "Origin " + origin);
        }
        assertThat(upstreamCount(h)).isEqualTo(before);
    }

    @Test
    void targetOriginComesFromConfigNotFromTheHostHeader() {
        // If the gateway trusted Host, an attacker controlling DNS or a proxy could make any Origin look same-origin (BFF-30).
        Browser dan = h.signInAs("dan");
        int before = upstreamCount(h);
        Browser.Response r = new RawHttp(h).send("POST", "/api/orders/1", new byte[0],
                "Host: evil.test", "Origin: http://evil.test", "X-CSRF: 1",
                "Cookie: " + h.cookieName() + "=" + dan.cookie(h.cookieName()));
        assertCsrfRefused(r, "Host evil.test");
        assertThat(upstreamCount(h)).isEqualTo(before);
    }

    @Test
    void simpleRequestsAPageCanSendWithoutPreflightAreRefused() {
        // Forms and no-cors fetches (text/plain, urlencoded, no body) are the classic CSRF vectors: they cannot add X-CSRF.
        Browser erin = h.signInAs("erin");
        int before = upstreamCount(h);
        assertCsrfRefused(erin.send(erin.request("/api/orders/1").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.noBody()).build()), "body-less text/plain, no fetch metadata");
        assertCsrfRefused(erin.send(erin.request("/api/orders/1").header("Content-Type", "text/plain")
                .header("Origin", "https://evil.test").header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "no-cors")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1}")).build()), "no-cors text/plain");
        assertCsrfRefused(erin.send(erin.request("/api/orders/1").header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.test").header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "navigate")
                .POST(HttpRequest.BodyPublishers.ofString("amount=1")).build()), "cross-site form post");
        assertThat(upstreamCount(h)).isEqualTo(before);
    }

    @Test
    void sameOriginCallsWithTheHeaderPass() {
        // The defence must not get in the SPA's way: its own calls, with the header, go through with every method.
        Browser fay = h.signInAs("fay");
        for (String method : UNSAFE) {
            int before = h.api.count();
            Browser.Response r = fay.fetch(method, "/api/orders/1", "{}", "X-CSRF", "1", "Origin", origin(h),
                    "Content-Type", "application/json");
            assertThat(r.status()).as(method).isEqualTo(200);
            assertThat(h.api.count()).isEqualTo(before + 1);
            assertThat(h.api.last().method()).isEqualTo(method);
        }
        // A non-browser client with the cookie and the header but no Origin or Fetch Metadata is not a forgery either.
        Browser.Response scripted = fay.send(fay.request("/api/orders/1").header("X-CSRF", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(scripted.status()).isEqualTo(200);
    }

    @Test
    void safeMethodsPassWithoutTheHeader() {
        // GET, HEAD and OPTIONS change nothing by contract, and links and preflights cannot carry a custom header.
        Browser gus = h.signInAs("gus");
        for (String method : List.of("GET", "HEAD", "OPTIONS")) {
            int before = h.api.count();
            Browser.Response r = gus.send(gus.request("/api/orders/1").header("Sec-Fetch-Site", "cross-site")
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            assertThat(r.status()).as(method).isEqualTo(200);
            assertThat(h.api.count()).as(method).isEqualTo(before + 1);
        }
    }

    @Test
    void requestWithoutSessionCookieIsNotCsrfChecked() {
        // CSRF abuses the victim's ambient cookie; a cookie-less request carries no authority an attacker lacks, so checking
        // it would only break anonymous clients. On a public route it passes; on a protected one it is a plain 401.
        Browser stranger = h.browser();
        int before = h.api.count();
        Browser.Response open = stranger.fetch("POST", "/api/public/newsletter", "{}", "Origin", "https://evil.test",
                "Sec-Fetch-Site", "cross-site");
        assertThat(open.status()).isEqualTo(200);
        assertThat(h.api.count()).isEqualTo(before + 1);

        Browser.Response closed = stranger.fetch("POST", "/api/orders/1", "{}", "Origin", "https://evil.test",
                "Sec-Fetch-Site", "cross-site");
        assertThat(closed.status()).isEqualTo(401);
        assertThat(new JsonObject(closed.body()).getString("reason")).isEqualTo("signed_out");
        assertThat(h.api.count()).isEqualTo(before + 1);
    }

    @Test
    void configuredExtraOriginMayCallCrossSite() {
        // An admin console on another origin is a deliberate exception; only the exact configured origin gets it.
        GatewayHarness w = withAdminOrigin;
        Browser hana = w.signInAs("hana");
        int before = w.api.count();
        Browser.Response allowed = hana.post("/api/orders/1", "{}", "Origin", "https://admin.example.com", "Sec-Fetch-Site", "cross-site");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(w.api.count()).isEqualTo(before + 1);

        for (String origin : List.of("https://admin.example.com.evil.test", "http://admin.example.com", "https://evil.test")) {
            assertCsrfRefused(hana.post("/api/orders/1", "{}", "Origin", origin, "Sec-Fetch-Site", "cross-site"), origin);
        }
        assertCsrfRefused(hana.fetch("POST", "/api/orders/1", "{}", "Origin", "https://admin.example.com",
                "Sec-Fetch-Site", "cross-site"), "allowed origin without the header");
        assertThat(w.api.count()).isEqualTo(before + 1);
    }
}
