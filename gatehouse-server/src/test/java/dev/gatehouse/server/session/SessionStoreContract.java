package dev.gatehouse.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.access.Membership;
import dev.gatehouse.core.access.Subject;
import dev.gatehouse.server.e2e.MutableClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SessionStore} must do, whatever it is backed by. A store runs it by extending this class and
 * giving {@link #newStore}; the store must read time from the clock it is given. Stages are joined with a timeout
 * so a remote store that never answers fails the test instead of hanging it.
 */
public abstract class SessionStoreContract {
    private static final SecureRandom RANDOM = new SecureRandom();

    protected MutableClock clock;
    protected SessionStore store;

    /** A new, empty store reading time from {@code clock}. */
    protected abstract SessionStore newStore(Clock clock) throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        // whole milliseconds, so a store that keeps instants at millisecond precision still round-trips them
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store = newStore(clock);
    }

    protected static <T> T join(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A session with every field filled, including nested organizations and tokens. */
    protected Session fullSession() {
        Instant now = clock.instant();
        Membership acme = new Membership("org_1", "acme", "Acme Inc", "org:admin", Set.of("org:billing:read", "org:billing:write"));
        Membership globex = new Membership("org_2", "globex", "Globex", "org:member", Set.of());
        return new Session(newKey(), "sess_" + newKey().substring(0, 22),
                new UserProfile("user_1", "alice@example.com", "Alice Ä. Smith", "https://img.example.com/a.png"),
                new Subject("user_1", Set.of("admin", "ops"), List.of(acme, globex), "org_2"),
                new ProviderTokens("access-token-value", now.plusSeconds(300), "refresh-token-value", "id.token.value"),
                "provider-sub-1", "provider-sid-1", now, now, now.plus(Duration.ofHours(12)));
    }

    /** A session with every optional field empty. */
    protected Session sparseSession() {
        Instant now = clock.instant();
        return new Session(newKey(), "sess_sparse", new UserProfile("user_2", null, null, null),
                new Subject("user_2", Set.of(), List.of(), null),
                new ProviderTokens("access-only", null, null, "id.token.value"), "provider-sub-2", null, now, now, now.plusSeconds(3600));
    }

    private static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return SessionCookie.hash(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    private Instant inMinutes(long minutes) {
        return clock.instant().plus(Duration.ofMinutes(minutes));
    }

    @Test
    void unknownKeyIsNotFound() throws Exception {
        assertThat(join(store.find(newKey()))).isNull();
    }

    @Test
    void savedSessionIsFoundWithEveryField() throws Exception {
        Session session = fullSession();

        join(store.save(session, inMinutes(30)));

        Session found = join(store.find(session.key()));
        assertThat(found).isEqualTo(session);
        assertThat(found.subject().activeOrganization()).map(Membership::slug).contains("globex");
        assertThat(found.tokens()).isEqualTo(session.tokens());
    }

    @Test
    void sessionWithoutOptionalFieldsRoundTrips() throws Exception {
        Session session = sparseSession();

        join(store.save(session, inMinutes(30)));

        assertThat(join(store.find(session.key()))).isEqualTo(session);
    }

    @Test
    void savingUnderAnExistingKeyReplacesTheSession() throws Exception {
        Session session = fullSession();
        join(store.save(session, inMinutes(30)));
        clock.advance(Duration.ofMinutes(2));
        Session refreshed = session.withTokens(new ProviderTokens("new-access", inMinutes(5), "new-refresh", "new.id.token"))
                .seenAt(clock.instant());

        join(store.save(refreshed, inMinutes(30)));

        Session found = join(store.find(session.key()));
        assertThat(found).isEqualTo(refreshed);
        assertThat(found.tokens().refreshToken()).isEqualTo("new-refresh");
        assertThat(found.lastSeenAt()).isEqualTo(clock.instant());
    }

    @Test
    void sessionsUnderDifferentKeysAreKeptApart() throws Exception {
        Session a = fullSession();
        Session b = sparseSession();

        join(store.save(a, inMinutes(30)));
        join(store.save(b, inMinutes(30)));

        assertThat(join(store.find(a.key()))).isEqualTo(a);
        assertThat(join(store.find(b.key()))).isEqualTo(b);
    }

    @Test
    void deletedSessionIsGoneAndOthersStay() throws Exception {
        Session a = fullSession();
        Session b = sparseSession();
        join(store.save(a, inMinutes(30)));
        join(store.save(b, inMinutes(30)));

        join(store.delete(a.key()));

        assertThat(join(store.find(a.key()))).isNull();
        assertThat(join(store.find(b.key()))).isEqualTo(b);
    }

    @Test
    void deletingAnUnknownKeyCompletesNormally() throws Exception {
        String key = newKey();

        join(store.delete(key));
        join(store.delete(key));

        assertThat(join(store.find(key))).isNull();
    }

    @Test
    void sessionIsKeptUntilItsEvictionTime() throws Exception {
        Session session = fullSession();
        join(store.save(session, inMinutes(30)));

        clock.advance(Duration.ofMinutes(29));

        assertThat(join(store.find(session.key()))).isEqualTo(session);
    }

    @Test
    void savingAgainMovesTheEvictionTime() throws Exception {
        Session session = fullSession();
        join(store.save(session, inMinutes(1)));
        join(store.save(session, inMinutes(10)));

        clock.advance(Duration.ofMinutes(5));

        assertThat(join(store.find(session.key()))).isEqualTo(session);
    }

    @Test
    void sessionSavedWithAnEvictionTimeAlreadyPastIsNotFound() throws Exception {
        Session session = fullSession();

        join(store.save(session, clock.instant().minusSeconds(1)));

        assertThat(join(store.find(session.key()))).isNull();
    }

    @Test
    void pingCompletesWhenTheStoreCanServe() throws Exception {
        assertThat(join(store.ping())).isNull();
    }
}
