package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthMetricsIT {
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
    void readinessReportsStoreAndProviderUp() {
        // Orchestrators route traffic by readiness: it must say which dependency is up, in JSON.
        Browser.Response r = h.browser().get("/auth/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"UP\"", "\"sessionStore\":\"UP\"", "\"identityProvider\":\"UP\"");
        assertThat(h.browser().get("/auth/health/live").status()).isEqualTo(200);
    }

    @Test
    void readinessGoesDownWhenTheProviderWasNeverReachable() throws Exception {
        // A gateway that cannot reach its provider cannot sign anyone in: it must not report ready, but stay live.
        try (GatewayHarness down = GatewayHarness.start()) {
            down.provider.shutdown();
            // A fresh gateway against the dead provider: discovery cannot have succeeded.
            try (GatewayHarness fresh = GatewayHarness.builder().issuerOverride(down.issuer()).start()) {
                Browser.Response r = fresh.browser().get("/auth/health");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.body()).contains("\"identityProvider\":\"DOWN\"");
                assertThat(fresh.browser().get("/auth/health/live").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void metricsAreServedOnTheAdminListenerOnly() throws Exception {
        // Metrics reveal traffic patterns: they belong on the private admin listener, never the public one.
        Browser alice = h.signInAs("alice");
        alice.get("/api/orders/1");
        h.browser().get("/api/admin/x");
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(h.adminUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("gatehouse_proxy_requests_total\\{status=\"2xx\"} [1-9]")
                .containsPattern("gatehouse_logins_total\\{outcome=\"success\"} [1-9]")
                .containsPattern("gatehouse_denied_requests_total\\{reason=\"signed_out\"} [1-9]")
                .contains("gatehouse_sessions");
        // On the public listener /metrics is just a path like any other: it goes to the catch-all route, not the registry.
        Browser.Response publicMetrics = h.browser().get("/metrics");
        assertThat(publicMetrics.body()).doesNotContain("gatehouse_proxy_requests_total");
        assertThat(h.spa.last().uri()).isEqualTo("/metrics");
    }
}
