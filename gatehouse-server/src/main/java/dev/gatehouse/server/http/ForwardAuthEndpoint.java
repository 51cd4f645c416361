package dev.gatehouse.server.http;

import dev.gatehouse.core.access.Membership;
import dev.gatehouse.server.config.Cidr;
import dev.gatehouse.server.gate.Gatekeeper;
import dev.gatehouse.server.gate.Verdict;
import dev.gatehouse.server.session.SessionCookie;
import dev.gatehouse.server.tokens.Caller;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /auth/verify} (alias {@code /auth/forward}): ForwardAuth for nginx {@code auth_request}, Caddy
 * {@code forward_auth} and Traefik. The original request is described by {@code X-Forwarded-Method}, {@code -Host}
 * and {@code -Uri}, believed only from {@code forward_auth.trusted_proxies}; the decision is the proxy's own
 * ({@link Gatekeeper}). Answers: 200 with identity headers and the route's {@code Authorization}; 401 with
 * {@code X-Auth-Login-Url} (or 302 for navigations when {@code forward_auth.redirect_navigations} is on);
 * 401 {@code token_invalid} for a rejected Bearer token; 403 for everything else refused, with {@code X-Auth-Reason},
 * because edges accept only 2xx, 401 and 403.
 * Unknown query parameters are ignored (Caddy appends the original query string).
 */
final class ForwardAuthEndpoint {
    private final ServerParts parts;
    private final List<Cidr> trusted = new ArrayList<>();
    private final String loginBase;

    ForwardAuthEndpoint(ServerParts parts) {
        this.parts = parts;
        for (String range : parts.config().forwardAuth().trustedProxies()) {
            trusted.add(Cidr.parse(range));
        }
        String base = parts.publicUrl().toString();
        this.loginBase = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/auth/login?returnTo=";
    }

    void handle(HttpServerRequest req) {
        if (!trustedPeer(req)) {
            parts.metrics().denied("untrusted_proxy");
            reply(req, 403, "untrusted_proxy");
            return;
        }
        String method = header(req, "X-Forwarded-Method", "GET").toUpperCase(Locale.ROOT);
        String uri = header(req, "X-Forwarded-Uri", "/");
        String host = req.getHeader("X-Forwarded-Host");
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        String cookieValue = SessionCookie.find(req.getHeader(HttpHeaders.COOKIE), parts.sessions().cookie().name());
        Gatekeeper.Facts facts = new Gatekeeper.Facts(method, host == null ? null : stripPort(host), path, cookieValue,
                req.getHeader(HttpHeaders.AUTHORIZATION), req.getHeader(parts.csrf().headerName()),
                req.getHeader(HttpHeaders.ORIGIN), req.getHeader("Sec-Fetch-Site"));
        Async.then(req, parts.gatekeeper().decide(facts), (verdict, error) -> {
            if (error != null) {
                reply(req, 503, "unavailable");
            } else if (verdict instanceof Verdict.Pass pass) {
                allow(req, pass);
            } else if (verdict instanceof Verdict.SignIn signIn) {
                parts.metrics().denied(signIn.reason());
                String login = loginBase + URLEncoder.encode(uri, StandardCharsets.UTF_8);
                if (parts.config().forwardAuth().redirectNavigations() && method.equals("GET") && Replies.isNavigation(req)) {
                    Replies.redirect(req, login);
                } else {
                    req.response().putHeader("X-Auth-Login-Url", login);
                    reply(req, 401, signIn.reason());
                }
            } else {
                Verdict.Refuse refuse = (Verdict.Refuse) verdict;
                parts.metrics().denied(refuse.reason());
                // A rejected Bearer token is "not authenticated" (401, without a login URL: a script cannot sign
                // in); every other refusal is 403, because edges accept only 2xx, 401 and 403 (503 stays an error).
                int status = refuse.status() == 401 || refuse.status() == 503 ? refuse.status() : 403;
                reply(req, status, refuse.reason());
            }
        });
    }

    private void allow(HttpServerRequest req, Verdict.Pass pass) {
        HttpServerResponse res = req.response();
        Caller caller = pass.caller();
        if (caller != null) {
            res.putHeader("X-Auth-User-Id", caller.user().id());
            putIfPresent(res, "X-Auth-User-Email", caller.user().email());
            putIfPresent(res, "X-Auth-Session-Id", caller.sessionId());
            if (!caller.subject().roles().isEmpty()) {
                res.putHeader("X-Auth-Roles", String.join(",", caller.subject().roles()));
            }
            Membership org = caller.subject().activeOrganization().orElse(null);
            if (org != null) {
                res.putHeader("X-Auth-Org-Id", org.id());
                putIfPresent(res, "X-Auth-Org-Slug", org.slug());
                putIfPresent(res, "X-Auth-Org-Role", org.role());
                res.putHeader("X-Auth-Org-Permissions", String.join(",", org.permissions()));
            }
        }
        if (pass.upstreamToken() != null) {
            res.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + pass.upstreamToken());
        }
        res.putHeader(HttpHeaders.CACHE_CONTROL, "no-store").setStatusCode(200).end();
    }

    private static void putIfPresent(HttpServerResponse res, String name, String value) {
        if (value != null && !value.isEmpty()) {
            res.putHeader(name, value);
        }
    }

    private void reply(HttpServerRequest req, int status, String reason) {
        req.response().putHeader("X-Auth-Reason", reason);
        JsonObject body = new JsonObject();
        if (status == 401) {
            body.put("signedIn", false);
        }
        Replies.json(req, status, body.put("reason", reason));
    }

    private boolean trustedPeer(HttpServerRequest req) {
        try {
            InetAddress peer = InetAddress.getByName(req.remoteAddress().hostAddress());
            for (Cidr c : trusted) {
                if (c.contains(peer)) {
                    return true;
                }
            }
        } catch (java.net.UnknownHostException e) {
            return false;
        }
        return false;
    }

    private static String header(HttpServerRequest req, String name, String fallback) {
        String v = req.getHeader(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static String stripPort(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(0, end + 1) : h;
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
