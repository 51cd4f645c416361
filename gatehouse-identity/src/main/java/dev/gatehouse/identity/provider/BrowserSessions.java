package dev.gatehouse.identity.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.gatehouse.identity.users.UserId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Provider sessions in memory, keyed by the SHA-256 of the cookie value (the value itself is kept nowhere).
 * Bounded; each entry expires at its own {@code expiresAt} (anonymous ones after 30 minutes). A restart of the
 * provider signs browsers out of the provider's pages, not out of the clients: their refresh tokens are stored
 * in the database. Thread-safe.
 */
final class BrowserSessions {
    static final Duration ANONYMOUS_LIFETIME = Duration.ofMinutes(30);
    private static final int MAX_SESSIONS = 100_000;

    /** A session with the cookie value that finds it: the value goes to the browser once and is not kept. */
    record Issued(String cookieValue, BrowserSession session) {
    }

    private final Clock clock;
    private final SecureRandom random;
    private final Duration lifetime;
    private final Cache<String, BrowserSession> sessions;

    BrowserSessions(Clock clock, SecureRandom random, Duration lifetime) {
        this.clock = clock;
        this.random = random;
        this.lifetime = lifetime;
        this.sessions = Caffeine.newBuilder()
                .maximumSize(MAX_SESSIONS)
                .ticker(Tickers.of(clock))
                .expireAfter(new Expiry<String, BrowserSession>() {
                    @Override
                    public long expireAfterCreate(String key, BrowserSession s, long now) {
                        return nanosLeft(s);
                    }

                    @Override
                    public long expireAfterUpdate(String key, BrowserSession s, long now, long current) {
                        return nanosLeft(s);
                    }

                    @Override
                    public long expireAfterRead(String key, BrowserSession s, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    private long nanosLeft(BrowserSession s) {
        return Math.max(0, Duration.between(clock.instant(), s.expiresAt()).toNanos());
    }

    Optional<BrowserSession> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 128) {
            return Optional.empty();
        }
        BrowserSession s = sessions.getIfPresent(Secrets.hash(cookieValue));
        return s == null || !s.expiresAt().isAfter(clock.instant()) ? Optional.empty() : Optional.of(s);
    }

    Issued startAnonymous() {
        String value = Secrets.random(random);
        BrowserSession s = new BrowserSession(Secrets.hash(value), Secrets.random(random), null, null, null, null,
                Set.of(), clock.instant().plus(ANONYMOUS_LIFETIME));
        sessions.put(s.cookieHash(), s);
        return new Issued(value, s);
    }

    /** Replaces {@code previous} (if any) by a signed-in session under a new cookie and a new {@code sid}. */
    Issued signIn(BrowserSession previous, UserId user) {
        if (previous != null) {
            sessions.invalidate(previous.cookieHash());
        }
        String value = Secrets.random(random);
        Instant now = clock.instant();
        BrowserSession s = new BrowserSession(Secrets.hash(value), Secrets.random(random), user, Secrets.random(random)
                .substring(0, 22), now, null, Set.of(), now.plus(lifetime));
        sessions.put(s.cookieHash(), s);
        return new Issued(value, s);
    }

    void update(BrowserSession s) {
        sessions.asMap().computeIfPresent(s.cookieHash(), (k, old) -> s);
    }

    /** Ends every browser session with {@code sid}; returns them. */
    List<BrowserSession> end(String sessionId) {
        List<BrowserSession> ended = new ArrayList<>();
        sessions.asMap().values().removeIf(s -> {
            boolean match = sessionId.equals(s.sessionId());
            if (match) {
                ended.add(s);
            }
            return match;
        });
        return ended;
    }
}
