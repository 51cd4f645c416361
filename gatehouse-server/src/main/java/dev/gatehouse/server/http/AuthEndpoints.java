package dev.gatehouse.server.http;

import dev.gatehouse.core.access.Membership;
import dev.gatehouse.server.login.LoginException;
import dev.gatehouse.server.login.LoginFlow;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.SessionCookie;
import dev.gatehouse.server.session.Sessions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /auth/login}, {@code /auth/callback}, {@code /auth/logout} and {@code /api/auth/session}: the
 * translation between HTTP and {@link LoginFlow} / {@link Sessions}. Pages for navigations, JSON for the rest.
 */
final class AuthEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(AuthEndpoints.class);

    private final ServerParts parts;
    private final SessionCookie cookie;

    AuthEndpoints(ServerParts parts) {
        this.parts = parts;
        this.cookie = parts.sessions().cookie();
    }

    void login(HttpServerRequest req) {
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            Replies.problem(req, 405, "method_not_allowed", "Sign-in starts with a GET navigation.");
            return;
        }
        // A sign-in starts only from a top-level navigation (ASVS V7.6.2): not from fetch, an image or a frame.
        String mode = req.getHeader("Sec-Fetch-Mode");
        String dest = req.getHeader("Sec-Fetch-Dest");
        if ((mode != null && !mode.equals("navigate")) || (dest != null && !dest.equals("document"))) {
            Replies.problem(req, 403, "login_requires_navigation", "Sign-in must be started by navigating to /auth/login.");
            return;
        }
        String loginCookie = SessionCookie.find(req.getHeader(HttpHeaders.COOKIE), cookie.loginName());
        Async.then(req, parts.login().start(req.getParam("returnTo"), loginCookie), (start, error) -> {
            if (error != null) {
                loginFailed(req, error);
                return;
            }
            if (start.newLoginCookie() != null) {
                req.response().putHeader(HttpHeaders.SET_COOKIE, cookie.setLogin(start.newLoginCookie()));
            }
            Replies.redirect(req, start.authorizationUrl());
        });
    }

    void callback(HttpServerRequest req) {
        if (req.method() != HttpMethod.GET) {
            Replies.page(req, 405, "Sign-in failed", "The sign-in response must arrive as a GET redirect.");
            return;
        }
        String cookies = req.getHeader(HttpHeaders.COOKIE);
        LoginFlow.Callback callback = new LoginFlow.Callback(req.getParam("state"), req.getParam("code"),
                req.getParam("error"), req.getParam("iss"));
        Async.then(req, parts.login().complete(callback, SessionCookie.find(cookies, cookie.loginName())), (done, error) -> {
            if (error != null) {
                loginFailed(req, error);
                return;
            }
            // A new session id at every sign-in: whatever session this browser had before is ended.
            String previous = SessionCookie.find(cookies, cookie.name());
            if (previous != null) {
                parts.sessions().endByCookie(previous);
            }
            req.response().putHeader(HttpHeaders.SET_COOKIE, cookie.set(done.sessionCookieValue()));
            Replies.redirect(req, done.returnTo());
        });
    }

    private void loginFailed(HttpServerRequest req, Throwable error) {
        if (error instanceof LoginException e) {
            LOG.info("Sign-in failed: {}", e.reason());
            parts.metrics().denied(e.reason().startsWith("provider_error") ? "provider_error" : e.reason());
            String title = e.status() >= 500 ? "Sign-in is unavailable" : "Sign-in failed";
            Replies.page(req, e.status(), title, e.getMessage());
        } else {
            LOG.error("Sign-in failed unexpectedly", error);
            Replies.page(req, 500, "Sign-in failed", "Something went wrong while signing you in. Please try again.");
        }
    }

    void logout(HttpServerRequest req) {
        if (req.method() != HttpMethod.POST) {
            Replies.problem(req, 405, "method_not_allowed", "Sign out with POST /auth/logout.");
            return;
        }
        if (!parts.csrf().allows("POST", req.getHeader(parts.csrf().headerName()), req.getHeader(HttpHeaders.ORIGIN),
                req.getHeader("Sec-Fetch-Site"))) {
            parts.metrics().denied("csrf_failed");
            Replies.problem(req, 403, "csrf_failed", "Sign-out needs the " + parts.csrf().headerName() + " header from this site.");
            return;
        }
        String value = SessionCookie.find(req.getHeader(HttpHeaders.COOKIE), cookie.name());
        Async.then(req, parts.sessions().resolve(value), (lookup, error) -> {
            if (error != null) {
                Replies.problem(req, 503, "session_store_unavailable", "Sessions are unavailable; try again.");
                return;
            }
            String idToken = null;
            if (lookup instanceof Sessions.Lookup.Found found) {
                Session session = found.session();
                idToken = session.tokens().idToken();
                parts.sessions().end(session);
                String refreshToken = session.tokens().refreshToken();
                if (refreshToken != null) {
                    parts.oidc().executor().execute(() -> parts.oidc().revokeBlocking(refreshToken));
                }
            }
            req.response().putHeader(HttpHeaders.SET_COOKIE, cookie.clear());
            Replies.json(req, 200, new JsonObject().put("signedIn", false).put("logoutUrl", parts.oidc().endSessionUrl(idToken)));
        });
    }

    /** {@code POST /api/auth/session/organization {"organizationId": ...}}: CSRF-checked, members only. */
    void switchOrganization(HttpServerRequest req) {
        if (req.method() != HttpMethod.POST) {
            Replies.problem(req, 405, "method_not_allowed", "Switch organizations with POST.");
            return;
        }
        if (!parts.csrf().allows("POST", req.getHeader(parts.csrf().headerName()), req.getHeader(HttpHeaders.ORIGIN),
                req.getHeader("Sec-Fetch-Site"))) {
            parts.metrics().denied("csrf_failed");
            Replies.problem(req, 403, "csrf_failed", "This call needs the " + parts.csrf().headerName() + " header from this site.");
            return;
        }
        String value = SessionCookie.find(req.getHeader(HttpHeaders.COOKIE), cookie.name());
        req.body().onComplete(body -> {
            String organizationId = null;
            try {
                if (body.succeeded() && body.result().length() <= 4096) {
                    organizationId = new JsonObject(body.result()).getString("organizationId");
                }
            } catch (RuntimeException e) {
                organizationId = null;
            }
            if (organizationId == null || organizationId.isBlank()) {
                Replies.problem(req, 400, "bad_request", "Send {\"organizationId\": \"...\"}.");
                return;
            }
            String wanted = organizationId;
            Async.then(req, parts.sessions().resolve(value), (lookup, error) -> {
                if (error != null) {
                    Replies.problem(req, 503, "session_store_unavailable", "Sessions are unavailable; try again.");
                } else if (lookup instanceof Sessions.Lookup.Found found) {
                    Async.then(req, parts.sessions().switchOrganization(found.session(), wanted), (updated, e2) -> {
                        if (e2 != null) {
                            Replies.problem(req, 503, "session_store_unavailable", "Sessions are unavailable; try again.");
                        } else if (updated == null) {
                            parts.metrics().denied("not_a_member");
                            Replies.problem(req, 403, "not_a_member", "You are not a member of that organization.");
                        } else {
                            parts.broker().forget(updated.key());
                            Replies.json(req, 200, describe(updated));
                        }
                    });
                } else {
                    Replies.problem(req, 401, ((Sessions.Lookup.Missing) lookup).reason(), "Not signed in.");
                }
            });
        });
    }

    /** {@code POST /auth/backchannel-logout} from the provider: a form with {@code logout_token}. */
    void backchannelLogout(HttpServerRequest req) {
        if (req.method() != HttpMethod.POST) {
            Replies.json(req, 405, new JsonObject().put("error", "invalid_request"));
            return;
        }
        req.setExpectMultipart(true);
        req.end().onComplete(done -> {
            String token = done.succeeded() ? req.getFormAttribute("logout_token") : null;
            Async.then(req, parts.backchannel().handle(token), (ended, error) -> {
                if (error != null) {
                    Replies.json(req, 400, new JsonObject().put("error", "invalid_request"));
                } else {
                    LOG.info("Back-channel logout ended {} session(s)", ended);
                    Replies.json(req, 200, new JsonObject());
                }
            });
        });
    }

    void session(HttpServerRequest req) {
        String value = SessionCookie.find(req.getHeader(HttpHeaders.COOKIE), cookie.name());
        Async.then(req, parts.sessions().resolve(value), (lookup, error) -> {
            if (error != null) {
                Replies.problem(req, 503, "session_store_unavailable", "Sessions are unavailable; try again.");
            } else if (lookup instanceof Sessions.Lookup.Found found) {
                Replies.json(req, 200, describe(found.session()));
            } else {
                String reason = ((Sessions.Lookup.Missing) lookup).reason();
                if (value != null) {
                    req.response().putHeader(HttpHeaders.SET_COOKIE, cookie.clear());
                }
                Replies.problem(req, 401, reason, "Not signed in.");
            }
        });
    }

    /** The session as the SPA sees it: who, which organization, until when. Never a token. */
    private JsonObject describe(Session s) {
        JsonObject user = new JsonObject().put("id", s.user().id()).put("email", s.user().email())
                .put("name", s.user().name()).put("picture", s.user().picture());
        JsonArray orgs = new JsonArray();
        for (Membership m : s.subject().organizations()) {
            orgs.add(new JsonObject().put("id", m.id()).put("slug", m.slug()).put("name", m.name()).put("role", m.role()));
        }
        JsonObject active = s.subject().activeOrganization().map(m -> new JsonObject().put("id", m.id()).put("slug", m.slug())
                .put("name", m.name()).put("role", m.role()).put("permissions", new JsonArray(java.util.List.copyOf(m.permissions()))))
                .orElse(null);
        JsonObject session = new JsonObject().put("id", s.publicId())
                .put("expiresAt", s.absoluteExpiresAt().toString())
                .put("idleExpiresAt", s.idleExpiresAt(parts.sessions().idleTimeout()).toString());
        return new JsonObject().put("signedIn", true).put("user", user).put("organization", active)
                .put("organizations", orgs).put("roles", new JsonArray(java.util.List.copyOf(s.subject().roles())))
                .put("session", session).put("logoutUrl", "/auth/logout");
    }
}
