package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A failing or slow service gives the SPA a JSON answer it can act on, never a hang or an HTML error page (BRIEF §6). */
class UpstreamFailureIT {
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

    private static void assertJsonProblem(Browser.Response r, int status, String reason) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.header("cache-control")).hasValue("no-store");
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo(reason);
    }

    @Test
    void closedUpstreamPortGives502Json() {
        // A service that is down must surface as a machine-readable 502, without naming the internal address it lives at.
        Browser.Response r = h.browser().get("/api/down/things");
        assertJsonProblem(r, 502, "upstream_unavailable");
        assertThat(r.body()).doesNotContain("127.0.0.1:9").doesNotContain("Connection refused");
    }

    @Test
    void closedUpstreamGives502ForASignedInPostToo() {
        // The failure answer must not depend on method or identity: a signed-in write to a dead service is the same 502.
        Browser.Response r = h.signInAs("walt").post("/api/down/things", "{\"n\":1}", "Content-Type", "application/json");
        assertJsonProblem(r, 502, "upstream_unavailable");
    }

    @Test
    void upstreamSlowerThanTheRouteTimeoutGives504Json() {
        // A hung service must not hold the browser's request open; the route's 1 s timeout turns it into a 504.
        Browser.Response r = h.browser().get("/api/slow/slow?ms=3000");
        assertJsonProblem(r, 504, "upstream_timeout");
    }

    @Test
    void upstreamWithinTheRouteTimeoutIsServedNormally() {
        // The timeout is a ceiling, not a penalty: a slightly slow answer inside it comes through untouched.
        Browser.Response r = h.browser().get("/api/slow/slow?ms=100");
        assertThat(r.status()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("uri")).isEqualTo("/api/slow/slow?ms=100");
    }
}
