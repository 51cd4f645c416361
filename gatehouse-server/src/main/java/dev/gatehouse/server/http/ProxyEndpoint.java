package dev.gatehouse.server.http;

import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.access.Subject;
import dev.gatehouse.server.config.GatewayConfig;
import dev.gatehouse.server.login.TokenRefresher;
import dev.gatehouse.server.proxy.PathGuard;
import dev.gatehouse.server.proxy.Route;
import dev.gatehouse.server.proxy.UpstreamHeaders;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.SessionCookie;
import dev.gatehouse.server.session.Sessions;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The authenticated proxy: canonical path, route match, CSRF, session, access rule, token, then a streaming
 * forward to the route's upstream. One instance per event loop, with that loop's HTTP client.
 *
 * <p>Order matters and is fixed: the path is canonicalised before matching so the rule sees the path the
 * upstream gets; CSRF is checked before the session is even looked up; the upstream never sees the gateway's
 * cookies, the browser's {@code Authorization}, hop-by-hop headers or client-sent forwarding/identity headers.
 */
final class ProxyEndpoint {
    private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
    private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
    private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");

    private final ServerParts parts;
    private final HttpClient client;
    private final SessionCookie cookie;
    private final String csrfHeader;
    private final String publicScheme;
    private final String publicHost;

    ProxyEndpoint(ServerParts parts, HttpClient client) {
        this.parts = parts;
        this.client = client;
        this.cookie = parts.sessions().cookie();
        this.csrfHeader = parts.csrf().headerName();
        URI publicUrl = parts.publicUrl();
        this.publicScheme = publicUrl.getScheme().toLowerCase(Locale.ROOT);
        this.publicHost = publicUrl.getRawAuthority();
    }

    void handle(HttpServerRequest req) {
        req.pause();
        String path = PathGuard.canonical(req.path());
        if (path == null) {
            deny(req, 400, "bad_path", "The request path is not allowed.");
            return;
        }
        Route route = parts.routes().match(hostOf(req), path);
        if (route == null) {
            deny(req, 404, "not_found", "No route matches this path.");
            return;
        }
        String method = req.method().name();
        if (!route.allowsMethod(method)) {
            // RFC 9110 §15.5.6: a 405 must name the methods the target does accept.
            req.response().putHeader(HttpHeaders.ALLOW, String.join(", ", new java.util.TreeSet<>(route.methods())));
            deny(req, 405, "method_not_allowed", "This route does not accept " + method + ".");
            return;
        }
        String cookieValue = SessionCookie.find(req.getHeader(HttpHeaders.COOKIE), cookie.name());
        if (cookieValue != null && !parts.csrf().allows(method, req.getHeader(csrfHeader), req.getHeader(HttpHeaders.ORIGIN),
                req.getHeader("Sec-Fetch-Site"))) {
            deny(req, 403, "csrf_failed", "State-changing requests need the " + csrfHeader + " header from this site.");
            return;
        }
        if (!route.rule().needsIdentity()) {
            forward(req, route, path, null);
            return;
        }
        Async.then(req, parts.sessions().resolve(cookieValue), (lookup, error) -> {
            if (error != null) {
                deny(req, 503, "session_store_unavailable", "Sessions are unavailable; try again.");
                return;
            }
            if (lookup instanceof Sessions.Lookup.Found found) {
                decide(req, route, path, found.session(), Sessions.SIGNED_OUT, cookieValue);
            } else {
                decide(req, route, path, null, ((Sessions.Lookup.Missing) lookup).reason(), cookieValue);
            }
        });
    }

    private void decide(HttpServerRequest req, Route route, String path, Session session, String missingReason, String cookieValue) {
        Subject subject = session == null ? null : session.subject();
        Decision decision = route.rule().decide(subject, missingReason);
        if (decision instanceof Decision.SignInRequired signIn) {
            signInRequired(req, signIn.reason(), cookieValue != null);
        } else if (decision instanceof Decision.Forbidden forbidden) {
            deny(req, 403, forbidden.reason(), "You are signed in but not allowed to do this.");
        } else if (session == null || route.token() == GatewayConfig.TokenMode.NONE) {
            forward(req, route, path, null);
        } else {
            Async.then(req, parts.refresher().ensureFresh(session), (result, error) -> {
                if (error != null || result instanceof TokenRefresher.Result.Unavailable) {
                    deny(req, 503, TokenRefresher.REFRESH_FAILED, "The identity provider could not renew your access; try again.");
                } else if (result instanceof TokenRefresher.Result.Ended ended) {
                    signInRequired(req, ended.reason(), true);
                } else {
                    forward(req, route, path, ((TokenRefresher.Result.Fresh) result).session().tokens().accessToken());
                }
            });
        }
    }

    private void signInRequired(HttpServerRequest req, String reason, boolean clearCookie) {
        if (clearCookie) {
            req.response().putHeader(HttpHeaders.SET_COOKIE, cookie.clear());
        }
        String method = req.method().name();
        if ((method.equals("GET") || method.equals("HEAD")) && Replies.isNavigation(req)) {
            req.resume();
            parts.metrics().denied(reason);
            Replies.redirect(req, "/auth/login?returnTo=" + URLEncoder.encode(req.uri(), StandardCharsets.UTF_8));
            return;
        }
        deny(req, 401, reason, "Sign in to continue.");
    }

    private void deny(HttpServerRequest req, int status, String reason, String message) {
        req.resume();
        parts.metrics().denied(reason);
        Replies.problem(req, status, reason, message);
    }

    private void forward(HttpServerRequest req, Route route, String path, String accessToken) {
        ProxyRequest proxied = ProxyRequest.reverseProxy(req);
        MultiMap headers = proxied.headers();
        scrub(headers);
        String cookies = cookie.withoutOwnCookies(headers.get(HttpHeaders.COOKIE));
        if (cookies == null) {
            headers.remove(HttpHeaders.COOKIE);
        } else {
            headers.set(HttpHeaders.COOKIE, cookies);
        }
        headers.set(X_FORWARDED_FOR, req.remoteAddress().hostAddress());
        headers.set(X_FORWARDED_PROTO, publicScheme);
        headers.set(X_FORWARDED_HOST, publicHost);
        if (accessToken != null) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken);
        }
        String query = req.query();
        String upstreamPath = route.upstreamPath(path);
        proxied.setURI(query == null ? upstreamPath : upstreamPath + "?" + query);
        proxied.setAuthority(HostAndPort.create(route.upstreamHost(), route.upstreamPort()));
        RequestOptions options = new RequestOptions()
                .setHost(route.upstreamHost())
                .setPort(route.upstreamPort())
                .setSsl(route.upstreamTls())
                .setConnectTimeout(route.connectTimeout().toMillis())
                .setIdleTimeout(route.timeout().toMillis());
        client.request(options)
                .compose(proxied::send)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        ProxyResponse response = ar.result();
                        dropOwnCookies(response.headers());
                        parts.metrics().proxied(response.getStatusCode());
                        response.send();
                    } else {
                        proxied.release();
                        upstreamFailed(req, ar.cause());
                    }
                });
    }

    private void upstreamFailed(HttpServerRequest req, Throwable cause) {
        if (req.response().headWritten()) {
            req.connection().close();
            return;
        }
        req.resume();
        boolean timeout = cause instanceof TimeoutException || cause instanceof io.vertx.core.impl.NoStackTraceTimeoutException
                || (cause != null && cause.getClass().getSimpleName().contains("Timeout"));
        if (timeout) {
            parts.metrics().proxied(504);
            Replies.problem(req, 504, "upstream_timeout", "The service did not answer in time.");
        } else {
            parts.metrics().proxied(502);
            Replies.problem(req, 502, "upstream_unavailable", "The service is unavailable.");
        }
    }

    /** Removes hop-by-hop, credential and client-sent forwarding/identity headers, and those named by Connection. */
    private static void scrub(MultiMap headers) {
        List<String> drop = null;
        for (String name : headers.names()) {
            if (UpstreamHeaders.dropped(name)) {
                if (drop == null) {
                    drop = new ArrayList<>(4);
                }
                drop.add(name);
            }
        }
        String connection = headers.get(HttpHeaders.CONNECTION);
        if (connection != null) {
            for (String token : connection.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    if (drop == null) {
                        drop = new ArrayList<>(4);
                    }
                    drop.add(t);
                }
            }
        }
        if (drop != null) {
            for (String name : drop) {
                headers.remove(name);
            }
        }
    }

    /** An upstream must not be able to set or overwrite the gateway's own cookies. */
    private void dropOwnCookies(MultiMap headers) {
        List<String> setCookies = headers.getAll(HttpHeaders.SET_COOKIE);
        if (setCookies.isEmpty()) {
            return;
        }
        List<String> kept = new ArrayList<>(setCookies.size());
        for (String c : setCookies) {
            // Browsers trim blanks around the name (RFC 6265 §5.2), so "gatehouse =x" would still replace ours.
            int semi = c.indexOf(';');
            String pair = semi < 0 ? c : c.substring(0, semi);
            int eq = pair.indexOf('=');
            String name = eq < 0 ? "" : pair.substring(0, eq).trim();
            if (!name.equals(cookie.name()) && !name.equals(cookie.loginName())) {
                kept.add(c);
            }
        }
        if (kept.size() != setCookies.size()) {
            headers.remove(HttpHeaders.SET_COOKIE);
            for (String c : kept) {
                headers.add(HttpHeaders.SET_COOKIE, c);
            }
        }
    }

    private static String hostOf(HttpServerRequest req) {
        HostAndPort authority = req.authority();
        return authority == null ? null : authority.host().toLowerCase(Locale.ROOT);
    }
}
