package dev.gatehouse.server.login;

import dev.gatehouse.server.metrics.GatewayMetrics;
import dev.gatehouse.server.session.ProviderTokens;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.Sessions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a session's access token fresh for {@code relay} routes: shortly before it expires, exactly one refresh
 * runs per session however many requests need it; the others wait for that one's result.
 *
 * <p>The refresh re-reads the session from the store before calling the provider, so a request holding a copy
 * loaded before another refresh finished never presents a superseded (rotated) refresh token, which a provider
 * with reuse detection would answer by revoking the whole grant. A rejection ({@code invalid_grant}) ends the
 * session; a provider that cannot be reached does not, and the current token is used while it is still valid.
 */
public final class TokenRefresher {
    public static final String REFRESH_FAILED = "refresh_failed";

    private final OidcClient oidc;
    private final Sessions sessions;
    private final Duration refreshBefore;
    private final GatewayMetrics metrics;
    private final ConcurrentHashMap<String, CompletableFuture<Result>> inFlight = new ConcurrentHashMap<>();

    /** A session whose token may be relayed, or why there is none. */
    public sealed interface Result {
        record Fresh(Session session) implements Result {
        }

        /** The session is over (it was ended here, or by someone else meanwhile). */
        record Ended(String reason) implements Result {
        }

        /** The provider cannot be reached and the token has expired; the session lives on. */
        record Unavailable(String reason) implements Result {
        }
    }

    public TokenRefresher(OidcClient oidc, Sessions sessions, Duration refreshBefore, GatewayMetrics metrics) {
        this.oidc = oidc;
        this.sessions = sessions;
        this.refreshBefore = refreshBefore;
        this.metrics = metrics;
    }

    public CompletionStage<Result> ensureFresh(Session session) {
        if (!needsRefresh(session, sessions.clock().instant())) {
            return CompletableFuture.completedFuture(new Result.Fresh(session));
        }
        CompletableFuture<Result> mine = new CompletableFuture<>();
        CompletableFuture<Result> running = inFlight.putIfAbsent(session.key(), mine);
        if (running != null) {
            return running;
        }
        refresh(session.key()).whenComplete((result, error) -> {
            inFlight.remove(session.key(), mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(result);
            }
        });
        return mine;
    }

    private boolean needsRefresh(Session session, Instant now) {
        return session.tokens().expiresBefore(now.plus(refreshBefore));
    }

    private CompletionStage<Result> refresh(String key) {
        return sessions.reload(key).thenCompose(current -> {
            Instant now = sessions.clock().instant();
            if (current == null) {
                return CompletableFuture.completedFuture(new Result.Ended(Sessions.SIGNED_OUT));
            }
            if (!needsRefresh(current, now)) {
                return CompletableFuture.completedFuture(new Result.Fresh(current));
            }
            if (current.tokens().refreshToken() == null) {
                if (!current.tokens().expiresBefore(now)) {
                    return CompletableFuture.completedFuture(new Result.Fresh(current));
                }
                return sessions.end(current).thenApply(v -> new Result.Ended(Sessions.SESSION_EXPIRED));
            }
            return CompletableFuture
                    .supplyAsync(() -> oidc.refreshBlocking(current.tokens().refreshToken(), current.providerSubject()), oidc.executor())
                    .thenCompose(outcome -> apply(current, outcome));
        });
    }

    private CompletionStage<Result> apply(Session current, OidcClient.Refresh outcome) {
        if (outcome instanceof OidcClient.Refresh.Refreshed refreshed) {
            metrics.refreshed("success");
            OidcClient.Tokens t = refreshed.tokens();
            Session updated = current.withTokens(new ProviderTokens(t.accessToken(), t.accessTokenExpiresAt(),
                    t.refreshToken(), t.idToken() == null ? current.tokens().idToken() : t.idToken()));
            return sessions.update(updated).thenApply(v -> new Result.Fresh(updated));
        }
        if (outcome instanceof OidcClient.Refresh.Rejected) {
            metrics.refreshed("rejected");
            return sessions.end(current).thenApply(v -> new Result.Ended(REFRESH_FAILED));
        }
        metrics.refreshed("unavailable");
        if (!current.tokens().expiresBefore(sessions.clock().instant())) {
            return CompletableFuture.completedFuture(new Result.Fresh(current));
        }
        return CompletableFuture.completedFuture(new Result.Unavailable(REFRESH_FAILED));
    }
}
