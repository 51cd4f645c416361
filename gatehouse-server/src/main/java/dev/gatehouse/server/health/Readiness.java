package dev.gatehouse.server.health;

import dev.gatehouse.server.login.OidcClient;
import dev.gatehouse.server.session.SessionStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Runs the readiness checks; a provider not yet discovered triggers a (rate-limited) new attempt. */
public final class Readiness {
    private final SessionStore store;
    private final OidcClient oidc;

    /** The checks by name ({@code UP} or {@code DOWN}) and whether all are up. */
    public record Report(boolean ready, Map<String, String> checks) {
    }

    public Readiness(SessionStore store, OidcClient oidc) {
        this.store = store;
        this.oidc = oidc;
    }

    public CompletionStage<Report> check() {
        CompletableFuture<Boolean> storeUp = store.ping().toCompletableFuture()
                .thenApply(v -> true)
                .completeOnTimeout(false, 2, TimeUnit.SECONDS)
                .exceptionally(e -> false);
        CompletableFuture<Boolean> providerUp = oidc.providerIfReady() != null
                ? CompletableFuture.completedFuture(true)
                : oidc.discover().thenApply(p -> p != null).completeOnTimeout(false, 2, TimeUnit.SECONDS);
        return storeUp.thenCombine(providerUp, (s, p) -> {
            Map<String, String> checks = new LinkedHashMap<>();
            checks.put("sessionStore", s ? "UP" : "DOWN");
            checks.put("identityProvider", p ? "UP" : "DOWN");
            return new Report(s && p, checks);
        });
    }
}
