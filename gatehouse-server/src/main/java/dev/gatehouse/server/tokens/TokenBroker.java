package dev.gatehouse.server.tokens;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.core.tokens.TokenTemplate;
import dev.gatehouse.server.config.GatewayConfig;
import dev.gatehouse.server.login.LoginException;
import dev.gatehouse.server.login.OidcClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out per-service tokens, minting or exchanging only on a cache miss. Tokens are cached per caller, then
 * per template (and active organization) or per exchange audience, and reused until a quarter of their lifetime
 * (at most 30 s) remains. {@link #forget} drops a caller's tokens at sign-out or organization switch.
 *
 * <p>The cache holds at most {@link #MAX_CALLERS} callers and drops a caller an hour after its last use, so it
 * stays bounded however many sessions come and go.
 */
public final class TokenBroker {
    static final int MAX_CALLERS = 200_000;
    private static final Duration MAX_MARGIN = Duration.ofSeconds(30);

    private final TokenMinter minter;
    private final OidcClient oidc;
    private final Map<String, TokenTemplate> templates;
    private final Clock clock;
    private final Cache<String, ConcurrentHashMap<String, CompletableFuture<Cached>>> byCaller = Caffeine.newBuilder()
            .maximumSize(MAX_CALLERS)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    private record Cached(String token, Instant reuseUntil) {
        @Override
        public String toString() {
            return "Cached[reuseUntil=" + reuseUntil + "]";
        }
    }

    public TokenBroker(TokenMinter minter, OidcClient oidc, Map<String, TokenTemplate> templates, Clock clock) {
        this.minter = minter;
        this.oidc = oidc;
        this.templates = templates;
        this.clock = clock;
    }

    /** A token from the named template for this caller: cached, or minted now (no I/O either way). */
    public String mint(Caller caller, String templateName) {
        TokenTemplate template = templates.get(templateName);
        String key = "t:" + templateName + ":" + caller.subject().activeOrganizationId();
        return cached(caller.cacheKey(), key, () -> {
            TokenMinter.Minted m = minter.mint(caller, template);
            return CompletableFuture.completedFuture(new Cached(m.token(), reuseUntil(clock.instant(), m.expiresAt())));
        }).toCompletableFuture().join();
    }

    /** A token for {@code spec.audience()} exchanged at the provider for the caller's access token; one exchange at a time per key. */
    public CompletionStage<String> exchange(Caller caller, String subjectToken, GatewayConfig.TokenSpec.Exchange spec) {
        String key = "x:" + spec.audience() + ":" + spec.scope();
        return cached(caller.cacheKey(), key, () -> CompletableFuture.supplyAsync(() -> {
            try {
                Instant now = clock.instant();
                OidcClient.Exchanged e = oidc.exchangeTokenBlocking(subjectToken, spec.audience(), spec.scope());
                Instant expires = e.expiresAt() != null ? e.expiresAt() : now.plus(Duration.ofMinutes(1));
                return new Cached(e.accessToken(), reuseUntil(now, expires));
            } catch (LoginException ex) {
                throw new CompletionException(ex);
            }
        }, oidc.executor()));
    }

    /** Drops every cached token of a caller (sign-out, organization switch, session end). */
    public void forget(String callerKey) {
        byCaller.invalidate(callerKey);
    }

    private CompletionStage<String> cached(String callerKey, String key, java.util.function.Supplier<CompletableFuture<Cached>> source) {
        ConcurrentHashMap<String, CompletableFuture<Cached>> tokens = byCaller.get(callerKey, k -> new ConcurrentHashMap<>());
        Instant now = clock.instant();
        CompletableFuture<Cached> current = tokens.get(key);
        if (current != null && current.isDone() && !current.isCompletedExceptionally() && current.join().reuseUntil().isAfter(now)) {
            return CompletableFuture.completedFuture(current.join().token());
        }
        if (current != null && !current.isDone()) {
            return current.thenApply(Cached::token);
        }
        CompletableFuture<Cached> mine = new CompletableFuture<>();
        boolean won = current == null ? tokens.putIfAbsent(key, mine) == null : tokens.replace(key, current, mine);
        if (!won) {
            return cached(callerKey, key, source);
        }
        source.get().whenComplete((value, error) -> {
            if (error != null) {
                tokens.remove(key, mine);
                mine.completeExceptionally(error);
            } else {
                mine.complete(value);
            }
        });
        return mine.thenApply(Cached::token);
    }

    private static Instant reuseUntil(Instant now, Instant expiresAt) {
        Duration margin = Duration.between(now, expiresAt).dividedBy(4);
        if (margin.compareTo(MAX_MARGIN) > 0) {
            margin = MAX_MARGIN;
        }
        return expiresAt.minus(margin);
    }
}
