package dev.gatehouse.server.gate;

import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.access.Subject;
import dev.gatehouse.server.config.GatewayConfig.TokenSpec;
import dev.gatehouse.server.csrf.CsrfCheck;
import dev.gatehouse.server.login.BearerVerifier;
import dev.gatehouse.server.login.LoginException;
import dev.gatehouse.server.login.TokenRefresher;
import dev.gatehouse.server.proxy.PathGuard;
import dev.gatehouse.server.proxy.Route;
import dev.gatehouse.server.proxy.RouteTable;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.Sessions;
import dev.gatehouse.server.tokens.Caller;
import dev.gatehouse.server.tokens.TokenBroker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Decides every proxied and ForwardAuth request. Steps, in order, each able to stop the request:
 * <ol>
 *   <li>canonical path ({@link PathGuard}): 400 {@code bad_path};</li>
 *   <li>route by host and path: 404 {@code not_found}; method: 405 {@code method_not_allowed};</li>
 *   <li>a Bearer token on a route that accepts them is the identity, and the cookie is ignored; otherwise a
 *       state-changing request carrying the session cookie must pass the CSRF check: 403 {@code csrf_failed};</li>
 *   <li>the session (public routes skip it), then the route's rule: sign in (401) or 403 with the rule's reason;</li>
 *   <li>the upstream token: relayed (refreshed if needed), minted from a template, or exchanged.</li>
 * </ol>
 * Answers that need no I/O come back as completed stages.
 */
public final class Gatekeeper {
    private static final CompletableFuture<Verdict> BAD_PATH =
            CompletableFuture.completedFuture(new Verdict.Refuse(400, "bad_path", "The request path is not allowed."));
    private static final CompletableFuture<Verdict> NOT_FOUND =
            CompletableFuture.completedFuture(new Verdict.Refuse(404, "not_found", "No route matches this path."));

    private final RouteTable routes;
    private final CsrfCheck csrf;
    private final Sessions sessions;
    private final TokenRefresher refresher;
    private final TokenBroker broker;
    private final BearerVerifier bearer;
    private final CompletableFuture<Verdict> csrfFailed;

    /** The facts of a request that the decision depends on; every field but method and rawPath may be null. */
    public record Facts(String method, String host, String rawPath, String cookieValue, String authorization,
            String csrfHeader, String origin, String secFetchSite) {
        @Override
        public String toString() {
            return "Facts[" + method + " " + rawPath + "]";
        }
    }

    public Gatekeeper(RouteTable routes, CsrfCheck csrf, Sessions sessions, TokenRefresher refresher, TokenBroker broker,
            BearerVerifier bearer) {
        this.routes = routes;
        this.csrf = csrf;
        this.sessions = sessions;
        this.refresher = refresher;
        this.broker = broker;
        this.bearer = bearer;
        this.csrfFailed = CompletableFuture.completedFuture(new Verdict.Refuse(403, CsrfCheck.CSRF_FAILED,
                "State-changing requests need the " + csrf.headerName() + " header from this site."));
    }

    public CompletionStage<Verdict> decide(Facts f) {
        String path = PathGuard.canonical(f.rawPath());
        if (path == null) {
            return BAD_PATH;
        }
        Route route = routes.match(f.host(), path);
        if (route == null) {
            return NOT_FOUND;
        }
        if (!route.allowsMethod(f.method())) {
            return CompletableFuture.completedFuture(new Verdict.Refuse(405, "method_not_allowed",
                    "This route does not accept " + f.method() + ".", String.join(", ", new java.util.TreeSet<>(route.methods()))));
        }
        if (route.bearer() && f.authorization() != null && f.authorization().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearerCaller(route, path, f.authorization().substring(7).trim());
        }
        if (f.cookieValue() != null && !csrf.allows(f.method(), f.csrfHeader(), f.origin(), f.secFetchSite())) {
            return csrfFailed;
        }
        if (!route.rule().needsIdentity()) {
            return CompletableFuture.completedFuture(new Verdict.Pass(route, path, null, null, null));
        }
        return sessions.resolve(f.cookieValue()).thenCompose(lookup -> {
            if (lookup instanceof Sessions.Lookup.Found found) {
                return withSession(route, path, found.session());
            }
            String reason = ((Sessions.Lookup.Missing) lookup).reason();
            return ruled(route, path, null, null, reason, f.cookieValue() != null);
        });
    }

    private CompletionStage<Verdict> withSession(Route route, String path, Session session) {
        Caller caller = new Caller(session.key(), session.user(), session.subject(), session.publicId());
        return ruled(route, path, caller, session, Sessions.SIGNED_OUT, true);
    }

    private CompletionStage<Verdict> bearerCaller(Route route, String path, String token) {
        return bearer.verify(token).handle((verified, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof LoginException e && e.status() >= 500) {
                    return CompletableFuture.<Verdict>completedFuture(new Verdict.Refuse(503, "keys_unavailable",
                            "The identity provider's keys cannot be fetched; try again."));
                }
                return CompletableFuture.<Verdict>completedFuture(new Verdict.Refuse(401, "token_invalid", "The bearer token is not valid."));
            }
            Caller caller = new Caller(verified.cacheKey(), verified.identity().user(), verified.identity().subject(), null);
            return ruled(route, path, caller, null, "token_invalid", false).thenCompose(v -> {
                if (!(v instanceof Verdict.Pass)) {
                    return CompletableFuture.completedFuture(v);
                }
                if (route.token() instanceof TokenSpec.Relay) {
                    return CompletableFuture.completedFuture(new Verdict.Pass(route, path, caller, null, token));
                }
                if (route.token() instanceof TokenSpec.Exchange x) {
                    return exchanged(route, path, caller, null, token, x);
                }
                return CompletableFuture.completedFuture(v);
            });
        }).thenCompose(x -> x);
    }

    private CompletionStage<Verdict> ruled(Route route, String path, Caller caller, Session session, String missingReason,
            boolean clearCookie) {
        Subject subject = caller == null ? null : caller.subject();
        Decision decision = route.rule().decide(subject, missingReason);
        if (decision instanceof Decision.SignInRequired signIn) {
            return CompletableFuture.completedFuture(new Verdict.SignIn(signIn.reason(), clearCookie));
        }
        if (decision instanceof Decision.Forbidden forbidden) {
            return CompletableFuture.completedFuture(new Verdict.Refuse(403, forbidden.reason(),
                    "You are signed in but not allowed to do this."));
        }
        if (caller == null || route.token() instanceof TokenSpec.None) {
            return CompletableFuture.completedFuture(new Verdict.Pass(route, path, caller, session, null));
        }
        if (route.token() instanceof TokenSpec.Template t) {
            return CompletableFuture.completedFuture(new Verdict.Pass(route, path, caller, session, broker.mint(caller, t.name())));
        }
        if (session == null) {
            // A Bearer caller: relay passes its own token on (see bearerCaller); exchange trades it.
            return CompletableFuture.completedFuture(new Verdict.Pass(route, path, caller, null, null));
        }
        return refresher.ensureFresh(session).thenCompose(result -> {
            if (result instanceof TokenRefresher.Result.Ended ended) {
                return CompletableFuture.completedFuture(new Verdict.SignIn(ended.reason(), true));
            }
            if (result instanceof TokenRefresher.Result.Unavailable) {
                return CompletableFuture.completedFuture(new Verdict.Refuse(503, TokenRefresher.REFRESH_FAILED,
                        "The identity provider could not renew your access; try again."));
            }
            Session fresh = ((TokenRefresher.Result.Fresh) result).session();
            String accessToken = fresh.tokens().accessToken();
            if (route.token() instanceof TokenSpec.Exchange x) {
                return exchanged(route, path, caller, fresh, accessToken, x);
            }
            return CompletableFuture.completedFuture(new Verdict.Pass(route, path, caller, fresh, accessToken));
        });
    }

    private CompletionStage<Verdict> exchanged(Route route, String path, Caller caller, Session session, String subjectToken,
            TokenSpec.Exchange x) {
        return broker.exchange(caller, subjectToken, x).handle((token, error) -> error == null
                ? new Verdict.Pass(route, path, caller, session, token)
                : new Verdict.Refuse(502, "token_exchange_failed", "The identity provider refused the token exchange."));
    }
}
