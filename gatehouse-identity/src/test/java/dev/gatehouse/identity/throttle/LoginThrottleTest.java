package dev.gatehouse.identity.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    /** Moved by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-03-01T09:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final HandClock clock = new HandClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, Duration.ofMinutes(15), 5, 20);

    @Test
    void accountLocksAtTheFifthFailureUntilTheWindowCloses() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("Alice@Example.com", "10.0.0." + i);
        }
        assertThat(throttle.lockedFor("alice@example.com", "10.0.0.9")).isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        throttle.recordFailure("alice@example.com", "10.0.0.5");
        assertThat(throttle.lockedFor("ALICE@example.com", "10.0.0.9")).contains(Duration.ofMinutes(10));
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertThat(throttle.lockedFor("alice@example.com", "10.0.0.9")).isEmpty();
    }

    @Test
    void addressLocksAtTwentyFailuresAcrossEmails() {
        for (int i = 0; i < 20; i++) {
            throttle.recordFailure("user" + i + "@example.com", "192.0.2.1");
        }
        assertThat(throttle.lockedFor("fresh@example.com", "192.0.2.1")).isPresent();
        assertThat(throttle.lockedFor("fresh@example.com", "192.0.2.2")).isEmpty();
    }

    @Test
    void successClearsTheAccountButNotTheAddress() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("bob@example.com", "192.0.2.1");
        }
        throttle.recordSuccess("bob@example.com");
        throttle.recordFailure("bob@example.com", "192.0.2.1");
        assertThat(throttle.lockedFor("bob@example.com", "192.0.2.7")).isEmpty();
    }
}
