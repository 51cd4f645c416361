package dev.gatehouse.identity.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Authorization codes in memory, keyed by their hash, valid for {@value #LIFETIME_SECONDS} seconds and single
 * use: {@link #redeem} swaps the entry for a {@link Redeemed} marker atomically, so of two concurrent
 * redemptions exactly one gets the grant, and a second redemption learns which refresh-token family to revoke.
 * Bounded. Thread-safe.
 */
final class AuthorizationCodes {
    static final int LIFETIME_SECONDS = 60;

    sealed interface Entry {
    }

    record Issued(Grant grant, URI redirectUri, String codeChallenge) implements Entry {
    }

    /** A code already exchanged; {@code familyId} is the refresh-token family it started (null when none). */
    record Redeemed(String sessionId, String familyId) implements Entry {
    }

    private final SecureRandom random;
    private final Cache<String, Entry> codes;

    AuthorizationCodes(Clock clock, SecureRandom random) {
        this.random = random;
        this.codes = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(Duration.ofSeconds(LIFETIME_SECONDS))
                .ticker(Tickers.of(clock))
                .build();
    }

    String issue(Grant grant, URI redirectUri, String codeChallenge) {
        String code = Secrets.random(random);
        codes.put(Secrets.hash(code), new Issued(grant, redirectUri, codeChallenge));
        return code;
    }

    /**
     * The entry the code had before this call: an {@link Issued} the first time (now marked redeemed with
     * {@code familyId}), a {@link Redeemed} after that, null for an unknown or expired code.
     */
    Entry redeem(String code, String familyId) {
        AtomicReference<Entry> before = new AtomicReference<>();
        codes.asMap().computeIfPresent(Secrets.hash(code), (k, e) -> {
            before.set(e);
            return e instanceof Issued issued ? new Redeemed(issued.grant().sessionId(), familyId) : e;
        });
        return before.get();
    }
}
