package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignInIT {
    static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    @Test
    void signedInBrowserReachesRelayRouteWithProviderToken() {
        // The core promise: the browser holds only a cookie, yet its API call arrives with the user's access token.
        Browser alice = h.signInAs("alice");
        Browser.Response r = alice.get("/api/orders/42");
        assertThat(r.status()).isEqualTo(200);
        EchoUpstream.Seen seen = h.api.last();
        assertThat(seen.uri()).isEqualTo("/orders/42");
        assertThat(seen.header("authorization")).startsWith("Bearer ey");
        assertThat(GatewayHarness.claims(seen.header("authorization").substring(7))).containsEntry("sub", "alice");
        assertThat(seen.header("cookie")).isNull();
        Browser.Response session = alice.get("/api/auth/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body()).contains("alice@example.com");
    }
}
