package dev.gatehouse.server.login;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Sign-ins in progress, bounded in number and in age: at most {@link #MAX_PENDING} are kept, each for ten
 * minutes, so unauthenticated {@code /auth/login} calls cannot grow the heap without limit. A transaction is
 * removed as it is read, which makes every {@code state} single-use.
 */
public final class LoginTransactions {
    public static final int MAX_PENDING = 100_000;
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Cache<String, LoginTransaction> pending = Caffeine.newBuilder()
            .maximumSize(MAX_PENDING)
            .expireAfterWrite(LIFETIME)
            .build();

    public void put(LoginTransaction transaction) {
        pending.put(transaction.state(), transaction);
    }

    /** The transaction for {@code state}, removed so it cannot be used twice; null when unknown or expired. */
    public LoginTransaction take(String state) {
        return state == null ? null : pending.asMap().remove(state);
    }
}
