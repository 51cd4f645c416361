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
import dev.gatehouse.server.gate.Gatekeeper;
import dev.gatehouse.server.keys.SigningKeys;
import dev.gatehouse.server.login.BackchannelLogout;
import dev.gatehouse.server.session.LiveConnections;
import dev.gatehouse.server.tokens.TokenBroker;
import dev.gatehouse.server.tokens.TokenMinter;

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
        Gatekeeper gatekeeper,
        SigningKeys keys,
        TokenMinter minter,
        TokenBroker broker,
        LiveConnections liveConnections,
        BackchannelLogout backchannel,
        Readiness readiness,
        GatewayMetrics metrics) {
}
