package dev.gatehouse.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The public listener's dispatch: the gateway's own endpoints by exact path, everything else to the proxy.
 * A plain switch on the path: no router, no per-request allocation.
 */
final class RequestDispatcher implements Handler<HttpServerRequest> {
    private final ServerParts parts;
    private final AuthEndpoints auth;
    private final ProxyEndpoint proxy;
    private final ForwardAuthEndpoint forwardAuth;
    private final WellKnownEndpoints wellKnown;

    RequestDispatcher(ServerParts parts, ProxyEndpoint proxy) {
        this.parts = parts;
        this.auth = new AuthEndpoints(parts);
        this.proxy = proxy;
        this.forwardAuth = new ForwardAuthEndpoint(parts);
        this.wellKnown = new WellKnownEndpoints(parts);
    }

    @Override
    public void handle(HttpServerRequest req) {
        switch (req.path()) {
            case "/auth/login":
                auth.login(req);
                break;
            case "/auth/callback":
                auth.callback(req);
                break;
            case "/auth/logout":
                auth.logout(req);
                break;
            case "/api/auth/session":
                auth.session(req);
                break;
            case "/api/auth/session/organization":
                auth.switchOrganization(req);
                break;
            case "/auth/backchannel-logout":
                auth.backchannelLogout(req);
                break;
            case "/auth/verify":
            case "/auth/forward":
                forwardAuth.handle(req);
                break;
            case "/.well-known/jwks.json":
                wellKnown.jwks(req);
                break;
            case "/.well-known/openid-configuration":
                wellKnown.discovery(req);
                break;
            case "/auth/health":
            case "/auth/health/ready":
                ready(req);
                break;
            case "/auth/health/live":
                Replies.json(req, 200, new JsonObject().put("status", "UP"));
                break;
            default:
                proxy.handle(req);
        }
    }

    private void ready(HttpServerRequest req) {
        Async.then(req, parts.readiness().check(), (report, error) -> {
            boolean up = error == null && report.ready();
            JsonObject checks = new JsonObject();
            if (report != null) {
                report.checks().forEach(checks::put);
            }
            Replies.json(req, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks));
        });
    }
}
