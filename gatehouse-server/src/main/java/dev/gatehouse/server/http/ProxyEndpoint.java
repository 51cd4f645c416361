package dev.gatehouse.server.http;

import dev.gatehouse.server.gate.Gatekeeper;
import dev.gatehouse.server.gate.Verdict;
import dev.gatehouse.server.proxy.Route;
import dev.gatehouse.server.proxy.UpstreamHeaders;
import dev.gatehouse.server.session.SessionCookie;
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
 * The authenticated proxy: asks the {@link Gatekeeper} and, on a pass, forwards the request to the route's
 * upstream, streaming both bodies. One instance per event loop, with that loop's HTTP client.
 *
 * <p>The upstream never sees the gateway's cookies, the browser's {@code Authorization}, hop-by-hop headers or
 * client-sent forwarding/identity headers; it gets {@code X-Forwarded-For/-Proto/-Host} written here and the
 * route's token. WebSocket upgrades go to {@link WebSocketBridge} after the same decision.
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
    private final WebSocketBridge webSockets;

    ProxyEndpoint(ServerParts parts, HttpClient client, WebSocketBridge webSockets) {
        this.parts = parts;
        this.client = client;
        this.webSockets = webSockets;
        this.cookie = parts.sessions().cookie();
        this.csrfHeader = parts.csrf().headerName();
        URI publicUrl = parts.publicUrl();
        this.publicScheme = publicUrl.getScheme().toLowerCase(Locale.ROOT);
        this.publicHost = publicUrl.getRawAuthority();
    }

    void handle(HttpServerRequest req) {
        req.pause();
        boolean upgrade = WebSocketBridge.isUpgrade(req);
        if (upgrade && !parts.csrf().allowsOrigin(req.getHeader(HttpHeaders.ORIGIN))) {
            deny(req, 403, "origin_not_allowed", "WebSocket connections must come from this site.");
            return;
        }
        String cookieHeader = req.getHeader(HttpHeaders.COOKIE);
        Gatekeeper.Facts facts = new Gatekeeper.Facts(req.method().name(), hostOf(req), req.path(),
                SessionCookie.find(cookieHeader, cookie.name()), req.getHeader(HttpHeaders.AUTHORIZATION),
                req.getHeader(csrfHeader), req.getHeader(HttpHeaders.ORIGIN), req.getHeader("Sec-Fetch-Site"));
        Async.then(req, parts.gatekeeper().decide(facts), (verdict, error) -> {
            if (error != null) {
                deny(req, 503, "unavailable", "The gateway cannot decide right now; try again.");
            } else if (verdict instanceof Verdict.Pass pass) {
                if (upgrade) {
                    webSockets.bridge(req, pass, upstreamHeaders(req, pass));
                } else {
                    forward(req, pass);
                }
            } else if (verdict instanceof Verdict.SignIn signIn) {
                signInRequired(req, signIn.reason(), signIn.clearCookie());
            } else {
                Verdict.Refuse refuse = (Verdict.Refuse) verdict;
                if (refuse.allow() != null) {
                    // RFC 9110 §15.5.6: a 405 must name the methods the target does accept.
                    req.response().putHeader(HttpHeaders.ALLOW, refuse.allow());
                }
                deny(req, refuse.status(), refuse.reason(), refuse.message());
            }
        });
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

    /** The request headers an upstream gets: scrubbed, with the gateway's forwarding headers and token. */
    private MultiMap upstreamHeaders(HttpServerRequest req, Verdict.Pass pass) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
        rewrite(req, headers, pass.upstreamToken());
        return headers;
    }

    private void rewrite(HttpServerRequest req, MultiMap headers, String token) {
        scrub(headers);
        // HTTP/2 and some clients split cookies over several Cookie headers (RFC 9113 §8.2.3): keep them all.
        List<String> all = headers.getAll(HttpHeaders.COOKIE);
        String cookies = cookie.withoutOwnCookies(all.size() <= 1 ? headers.get(HttpHeaders.COOKIE) : String.join("; ", all));
        if (cookies == null) {
            headers.remove(HttpHeaders.COOKIE);
        } else {
            headers.set(HttpHeaders.COOKIE, cookies);
        }
        headers.set(X_FORWARDED_FOR, req.remoteAddress().hostAddress());
        headers.set(X_FORWARDED_PROTO, publicScheme);
        headers.set(X_FORWARDED_HOST, publicHost);
        if (token != null) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
    }

    private void forward(HttpServerRequest req, Verdict.Pass pass) {
        Route route = pass.route();
        ProxyRequest proxied = ProxyRequest.reverseProxy(req);
        rewrite(req, proxied.headers(), pass.upstreamToken());
        String query = req.query();
        String upstreamPath = route.upstreamPath(pass.path());
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
                        if (pass.session() != null && isEventStream(response)) {
                            Runnable untrack = parts.liveConnections().track(pass.session().key(), () -> req.connection().close());
                            req.response().endHandler(v -> untrack.run());
                            req.response().closeHandler(v -> untrack.run());
                        }
                        response.send();
                    } else {
                        proxied.release();
                        upstreamFailed(req, ar.cause());
                    }
                });
    }

    private static boolean isEventStream(ProxyResponse response) {
        String type = response.headers().get(HttpHeaders.CONTENT_TYPE);
        return type != null && type.startsWith("text/event-stream");
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
    static void scrub(MultiMap headers) {
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

    static String hostOf(HttpServerRequest req) {
        HostAndPort authority = req.authority();
        return authority == null ? null : authority.host().toLowerCase(Locale.ROOT);
    }
}
