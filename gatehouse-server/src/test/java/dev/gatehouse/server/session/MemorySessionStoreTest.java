package dev.gatehouse.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemorySessionStoreTest extends SessionStoreContract {

    @Override
    protected SessionStore newStore(Clock clock) {
        return new MemorySessionStore(clock);
    }

    private MemorySessionStore memory() {
        return (MemorySessionStore) store;
    }

    @Test
    void findForgetsASessionOnceTheClockPassesItsEvictionTime() throws Exception {
        Session session = fullSession();
        join(store.save(session, clock.instant().plus(Duration.ofMinutes(30))));

        clock.advance(Duration.ofMinutes(30).plusMillis(1));

        assertThat(join(store.find(session.key()))).isNull();
        assertThat(memory().size()).isZero();
    }

    @Test
    void sweepDropsOnlyEntriesPastTheirEvictionTime() throws Exception {
        Session shortLived = fullSession();
        Session longLived = sparseSession();
        join(store.save(shortLived, clock.instant().plus(Duration.ofMinutes(5))));
        join(store.save(longLived, clock.instant().plus(Duration.ofMinutes(60))));
        assertThat(memory().sweep()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(6));

        assertThat(memory().sweep()).isEqualTo(1);
        assertThat(memory().size()).isEqualTo(1);
        assertThat(join(store.find(longLived.key()))).isEqualTo(longLived);
    }
}
