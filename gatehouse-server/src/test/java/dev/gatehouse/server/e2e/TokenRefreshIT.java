package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refresh of the relayed access token (issue #2 item 5, BFF-22, C-23 on one instance, §6's 50-parallel scenario),
 * against mock-oauth2-server with refresh-token rotation on. Tokens live {@value #LIFETIME} s so that moving the
 * clock into the refresh window stays inside the 30-minute idle timeout; the refresh window is the default 30 s.
 */
class TokenRefreshIT {
    static final int LIFETIME = 600;
    /** Into the refresh window (expiry minus 30 s) but before expiry. */
    static final Duration INTO_WINDOW = Duration.ofSeconds(LIFETIME - 30 + 5);
    /** Past expiry. */
    static final Duration PAST_EXPIRY = Duration.ofSeconds(LIFETIME + 60);

    static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            LeakScan.assertNothingLeaked(h);
        } finally {
            h.close();
        }
    }

    private static String bearerAt(EchoUpstream.Seen seen) {
        String auth = seen.header("authorization");
        assertThat(auth).startsWith("Bearer ");
        return auth.substring(7);
    }

    /** Makes one relayed call that must succeed and returns the access token the upstream received. */
    private static String relayedToken(Browser browser, String path) {
        Browser.Response r = browser.get(path);
        assertThat(r.status()).as(path).isEqualTo(200);
        return bearerAt(h.api.last());
    }

    private static String refreshTokenIn(String formBody) {
        for (String pair : formBody.split("&")) {
            if (pair.startsWith("refresh_token=")) {
                return URLDecoder.decode(pair.substring("refresh_token=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no refresh_token in a refresh grant");
    }

    private static List<String> refreshGrants() {
        List<String> grants = new ArrayList<>();
        for (String body : ProviderRequests.drainTokenRequests(h)) {
            if (body.contains("grant_type=refresh_token")) {
                grants.add(body);
            }
        }
        return grants;
    }

    @Test
    void fiftyParallelRequestsAroundExpiryCauseExactlyOneRefresh() throws Exception {
        // Many tabs and parallel API calls hit expiry together; more than one refresh would trip rotation reuse detection.
        Browser carol = h.user("carol").tokensExpireIn(LIFETIME).signIn();
        String before = relayedToken(carol, "/api/orders/warm-up");
        ProviderRequests.drainTokenRequests(h);
        h.clock.advance(INTO_WINDOW);

        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            requests.add(carol.request("/api/orders/burst-" + i).header("Accept", "application/json").GET().build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Browser.Response>> answers = new ArrayList<>();
        try {
            for (HttpRequest request : requests) {
                Callable<Browser.Response> call = () -> {
                    go.await();
                    return carol.send(request);
                };
                answers.add(pool.submit(call));
            }
            go.countDown();
            for (Future<Browser.Response> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(refreshGrants()).as("refresh grants at the provider").hasSize(1);
        List<String> relayed = h.api.seen().stream().filter(s -> s.uri().startsWith("/orders/burst-")).map(TokenRefreshIT::bearerAt).toList();
        assertThat(relayed).hasSize(50);
        String after = relayed.get(0);
        assertThat(after).isNotEqualTo(before);
        assertThat(relayed).allMatch(after::equals);
        assertThat(GatewayHarness.claims(after)).containsEntry("sub", "carol");

        assertThat(relayedToken(carol, "/api/orders/later")).isEqualTo(after);
        assertThat(refreshGrants()).as("refresh grants after the refreshed token is in place").isEmpty();
    }

    @Test
    void nextRefreshPresentsTheRotatedRefreshToken() {
        // With rotation the old refresh token is dead after one use; presenting it again would lose the grant (C-23).
        Browser dora = h.user("dora").tokensExpireIn(LIFETIME).signIn();
        relayedToken(dora, "/api/orders/1");
        ProviderRequests.drainTokenRequests(h);

        h.clock.advance(INTO_WINDOW);
        String second = relayedToken(dora, "/api/orders/2");
        List<String> first = refreshGrants();
        assertThat(first).hasSize(1);

        h.clock.advance(INTO_WINDOW);
        String third = relayedToken(dora, "/api/orders/3");
        List<String> next = refreshGrants();
        assertThat(next).hasSize(1);
        assertThat(refreshTokenIn(next.get(0))).isNotEqualTo(refreshTokenIn(first.get(0)));
        assertThat(third).isNotEqualTo(second);
    }

    @Test
    void rejectedRefreshEndsTheSession() {
        // invalid_grant means the provider revoked the grant (logout elsewhere, admin action): the session must end (BFF-22).
        FailingRefreshCallback ivan = new FailingRefreshCallback("ivan", LIFETIME);
        Browser browser = ivan.signIn(h);
        String session = browser.cookie(h.cookieName());
        relayedToken(browser, "/api/orders/1");
        ProviderRequests.drainTokenRequests(h);

        ivan.fail(FailingRefreshCallback.Failure.INVALID_GRANT);
        h.clock.advance(PAST_EXPIRY);
        int before = h.api.count();
        Browser.Response r = browser.get("/api/orders/2");
        assertThat(r.status()).isEqualTo(401);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getBoolean("signedIn")).isFalse();
        assertThat(body.getString("reason")).isEqualTo("refresh_failed");
        assertThat(r.setCookies()).anyMatch(c -> c.startsWith(h.cookieName() + "=;") && c.contains("Max-Age=0"));
        assertThat(h.api.count()).isEqualTo(before);
        assertThat(refreshGrants()).hasSize(1);

        // Not only the cookie is gone: the server-side session is over, so replaying the old cookie gets nothing.
        browser.setCookie(h.cookieName(), session);
        assertThat(browser.get("/api/auth/session").status()).isEqualTo(401);
        assertThat(browser.get("/api/orders/3").status()).isEqualTo(401);
        assertThat(h.api.count()).isEqualTo(before);
    }

    @Test
    void unavailableProviderWithStillValidTokenKeepsRelayingIt() {
        // A provider outage must not sign anyone out or block calls while the current token is still good.
        FailingRefreshCallback uma = new FailingRefreshCallback("uma", LIFETIME);
        Browser browser = uma.signIn(h);
        String before = relayedToken(browser, "/api/orders/1");
        ProviderRequests.drainTokenRequests(h);

        uma.fail(FailingRefreshCallback.Failure.UNAVAILABLE);
        h.clock.advance(INTO_WINDOW);
        assertThat(relayedToken(browser, "/api/orders/2")).isEqualTo(before);
        assertThat(refreshGrants()).as("the refresh was attempted and answered 503").hasSize(1);
        assertThat(browser.get("/api/auth/session").status()).isEqualTo(200);
    }

    @Test
    void unavailableProviderWithExpiredTokenAnswers503AndKeepsTheSession() {
        // An expired token cannot be relayed, but a provider outage is not the user's fault: 503, and no sign-out.
        FailingRefreshCallback vic = new FailingRefreshCallback("vic", LIFETIME);
        Browser browser = vic.signIn(h);
        String before = relayedToken(browser, "/api/orders/1");
        ProviderRequests.drainTokenRequests(h);

        vic.fail(FailingRefreshCallback.Failure.UNAVAILABLE);
        h.clock.advance(PAST_EXPIRY);
        int upstreamBefore = h.api.count();
        Browser.Response r = browser.get("/api/orders/2");
        assertThat(r.status()).isEqualTo(503);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("refresh_failed");
        assertThat(r.setCookies()).isEmpty();
        assertThat(h.api.count()).isEqualTo(upstreamBefore);
        assertThat(refreshGrants()).hasSize(1);
        assertThat(browser.get("/api/auth/session").status()).isEqualTo(200);

        vic.fail(FailingRefreshCallback.Failure.NONE);
        String after = relayedToken(browser, "/api/orders/3");
        assertThat(after).isNotEqualTo(before);
        assertThat(refreshGrants()).hasSize(1);
    }

    @Test
    void unreachableProviderIsANetworkFailureNotASignOut() throws Exception {
        // The provider's host going away entirely (connection refused) must behave like the 503 case, not like invalid_grant.
        GatewayHarness own = GatewayHarness.start();
        try {
            Browser nora = own.user("nora").tokensExpireIn(LIFETIME).signIn();
            assertThat(nora.get("/api/orders/1").status()).isEqualTo(200);
            String before = bearerAt(own.api.last());
            own.provider.shutdown();

            own.clock.advance(INTO_WINDOW);
            assertThat(nora.get("/api/orders/2").status()).isEqualTo(200);
            assertThat(bearerAt(own.api.last())).isEqualTo(before);

            own.clock.advance(Duration.ofSeconds(120));
            int upstreamBefore = own.api.count();
            Browser.Response r = nora.get("/api/orders/3");
            assertThat(r.status()).isEqualTo(503);
            assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("refresh_failed");
            assertThat(own.api.count()).isEqualTo(upstreamBefore);
            assertThat(nora.get("/api/auth/session").status()).isEqualTo(200);
            LeakScan.assertNothingLeaked(own);
        } finally {
            closeAfterProviderShutdown(own);
        }
    }

    /** The harness shuts the provider down last; it is down already, and a second shutdown may complain. */
    private static void closeAfterProviderShutdown(GatewayHarness world) {
        try {
            world.close();
        } catch (Exception alreadyDown) {
            // everything else was closed before the provider
        }
    }
}
