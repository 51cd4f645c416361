package dev.gatehouse.server.http;

import dev.gatehouse.server.config.GatewayConfig;
import dev.gatehouse.server.csrf.CsrfCheck;
import dev.gatehouse.server.health.Readiness;
import dev.gatehouse.server.login.LoginFlow;
import dev.gatehouse.server.login.OidcClient;
import dev.gatehouse.server.login.TokenRefresher;
import dev.gatehouse.server.metrics.GatewayMetrics;
import dev.gatehouse.server.proxy.RouteTable;
import dev.gatehouse.server.session.Sessions;

/** The framework-free parts the HTTP layer serves, wired by {@code Gateway}; {@code publicUrl} is resolved. */
public record ServerParts(
        GatewayConfig config,
        java.net.URI publicUrl,
        Sessions sessions,
        LoginFlow login,
        OidcClient oidc,
        TokenRefresher refresher,
        RouteTable routes,
        CsrfCheck csrf,
        Readiness readiness,
        GatewayMetrics metrics) {
}
