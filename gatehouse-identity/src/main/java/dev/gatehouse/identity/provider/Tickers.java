package dev.gatehouse.identity.provider;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;

/** Caffeine expiry driven by the injected clock, so tests move time instead of sleeping. */
final class Tickers {
    private Tickers() {
    }

    static Ticker of(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
