package dev.gatehouse.identity.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts failed sign-ins per account (the email as typed, lower-cased, whether or not such an account exists) and
 * per client address in fixed windows that open with the first failure. After {@code maxPerAccount} failures for
 * an email, or {@code maxPerAddress} from an address, {@link #lockedFor} answers how long until the window
 * closes. Bounded (100,000 entries per kind); times come from the injected clock. Thread-safe.
 */
public final class LoginThrottle {
    private static final int MAX_ENTRIES = 100_000;

    private record Window(Instant opened, int failures) {
    }

    private final Clock clock;
    private final Duration window;
    private final int maxPerAccount;
    private final int maxPerAddress;
    private final Cache<String, Window> accounts;
    private final Cache<String, Window> addresses;

    public LoginThrottle(Clock clock, Duration window, int maxPerAccount, int maxPerAddress) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
        this.maxPerAccount = maxPerAccount;
        this.maxPerAddress = maxPerAddress;
        this.accounts = newCache();
        this.addresses = newCache();
    }

    private Cache<String, Window> newCache() {
        return Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfterWrite(window)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .build();
    }

    /** How long until a sign-in for {@code email} from {@code address} may be tried again; empty when it may now. */
    public Optional<Duration> lockedFor(String email, String address) {
        Instant now = clock.instant();
        Optional<Duration> account = remaining(accounts.getIfPresent(key(email)), maxPerAccount, now);
        Optional<Duration> addr = remaining(addresses.getIfPresent(address), maxPerAddress, now);
        if (account.isPresent() && addr.isPresent()) {
            return Optional.of(account.get().compareTo(addr.get()) >= 0 ? account.get() : addr.get());
        }
        return account.isPresent() ? account : addr;
    }

    public void recordFailure(String email, String address) {
        Instant now = clock.instant();
        accounts.asMap().compute(key(email), (k, w) -> next(w, now));
        addresses.asMap().compute(address, (k, w) -> next(w, now));
    }

    /** A successful sign-in clears the account's count; the address keeps its count until the window closes. */
    public void recordSuccess(String email) {
        accounts.invalidate(key(email));
    }

    private Window next(Window w, Instant now) {
        if (w == null || !now.isBefore(w.opened().plus(window))) {
            return new Window(now, 1);
        }
        return new Window(w.opened(), w.failures() + 1);
    }

    private Optional<Duration> remaining(Window w, int max, Instant now) {
        if (w == null || w.failures() < max) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, w.opened().plus(window));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    private static String key(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }
}
