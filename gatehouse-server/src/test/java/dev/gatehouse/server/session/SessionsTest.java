package dev.gatehouse.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.access.Subject;
import dev.gatehouse.server.e2e.MutableClock;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Duration ABSOLUTE = Duration.ofHours(12);

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T08:00:00Z"));
    private final MemorySessionStore store = new MemorySessionStore(clock);
    private final SessionCookie cookie = new SessionCookie(URI.create("https://app.example.com"), false, new SecureRandom());
    private final Sessions sessions = new Sessions(store, cookie, clock, IDLE, ABSOLUTE, new SecureRandom());

    private static <T> T join(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Sessions.Created signIn(Sessions s) throws Exception {
        return join(s.create(new UserProfile("user_1", "a@example.com", "Alice", null), new Subject("user_1", Set.of("admin"), List.of(), null),
                new ProviderTokens("access", clock.instant().plusSeconds(300), "refresh", "id.token"), "sub-1", "sid-1"));
    }

    private Sessions.Created signIn() throws Exception {
        return signIn(sessions);
    }

    private Sessions.Lookup resolve(String cookieValue) throws Exception {
        return join(sessions.resolve(cookieValue));
    }

    private Session stored(Sessions.Created created) throws Exception {
        return join(store.find(created.session().key()));
    }

    private static Sessions.Lookup found(Session s) {
        return new Sessions.Lookup.Found(s);
    }

    private static final Sessions.Lookup SIGNED_OUT = new Sessions.Lookup.Missing(Sessions.SIGNED_OUT);
    private static final Sessions.Lookup EXPIRED = new Sessions.Lookup.Missing(Sessions.SESSION_EXPIRED);

    @Test
    void createGivesDistinct256BitCookieValuesAndNewIds() throws Exception {
        Sessions.Created a = signIn();
        Sessions.Created b = signIn();

        assertThat(a.cookieValue()).hasSize(43).isNotEqualTo(b.cookieValue());
        assertThat(SessionCookie.wellFormed(a.cookieValue())).isTrue();
        assertThat(a.session().key()).isNotEqualTo(b.session().key());
        assertThat(a.session().publicId()).startsWith("sess_").isNotEqualTo(b.session().publicId());
    }

    @Test
    void storeHoldsOnlyTheHashOfTheCookieValue() throws Exception {
        Sessions.Created created = signIn();
        String value = created.cookieValue();

        assertThat(created.session().key()).isEqualTo(SessionCookie.hash(value)).isNotEqualTo(value);
        assertThat(join(store.find(value))).isNull();
        Session stored = stored(created);
        assertThat(stored).isEqualTo(created.session());
        for (RecordComponent c : Session.class.getRecordComponents()) {
            Object field = c.getAccessor().invoke(stored);
            if (field instanceof String s) {
                assertThat(s).as(c.getName()).doesNotContain(value);
            }
        }
        assertThat(created.toString()).doesNotContain(value);
    }

    @Test
    void createStampsTheTimeouts() throws Exception {
        Session s = signIn().session();

        assertThat(s.createdAt()).isEqualTo(clock.instant());
        assertThat(s.lastSeenAt()).isEqualTo(clock.instant());
        assertThat(s.absoluteExpiresAt()).isEqualTo(clock.instant().plus(ABSOLUTE));
        assertThat(s.idleExpiresAt(IDLE)).isEqualTo(clock.instant().plus(IDLE));
    }

    @Test
    void resolveFindsALiveSession() throws Exception {
        Sessions.Created created = signIn();

        assertThat(resolve(created.cookieValue())).isEqualTo(found(created.session()));
    }

    @Test
    void missingOrMalformedCookieIsSignedOut() throws Exception {
        assertThat(resolve(null)).isEqualTo(SIGNED_OUT);
        assertThat(resolve("")).isEqualTo(SIGNED_OUT);
        assertThat(resolve("not-a-session")).isEqualTo(SIGNED_OUT);
        assertThat(resolve("!".repeat(43))).isEqualTo(SIGNED_OUT);
        assertThat(resolve(cookie.newValue())).isEqualTo(SIGNED_OUT);
    }

    @Test
    void idleSessionExpiresAndIsDeleted() throws Exception {
        Sessions.Created created = signIn();

        clock.advance(IDLE);

        assertThat(resolve(created.cookieValue())).isEqualTo(EXPIRED);
        assertThat(stored(created)).isNull();
        assertThat(resolve(created.cookieValue())).isEqualTo(SIGNED_OUT);
    }

    @Test
    void browserReturningWellAfterTheIdleTimeoutIsToldItsSessionExpired() throws Exception {
        // the SPA shows "your session expired" rather than a bare sign-in prompt
        Sessions.Created created = signIn();

        clock.advance(IDLE.plusMinutes(15));

        assertThat(resolve(created.cookieValue())).isEqualTo(EXPIRED);
        assertThat(stored(created)).isNull();
    }

    @Test
    void sessionIsAliveJustBeforeTheIdleTimeout() throws Exception {
        Sessions.Created created = signIn();

        clock.advance(IDLE.minusMillis(1));

        assertThat(resolve(created.cookieValue())).isInstanceOf(Sessions.Lookup.Found.class);
    }

    @Test
    void activityWithinTheTouchIntervalIsNotWrittenBack() throws Exception {
        Sessions.Created created = signIn();
        Instant signedInAt = clock.instant();

        clock.advance(Duration.ofSeconds(59));

        assertThat(resolve(created.cookieValue())).isEqualTo(found(created.session()));
        assertThat(stored(created).lastSeenAt()).isEqualTo(signedInAt);
    }

    @Test
    void activityIsWrittenBackAtMostOncePerInterval() throws Exception {
        Sessions.Created created = signIn();

        clock.advance(Duration.ofMinutes(1));
        Instant touchedAt = clock.instant();
        Sessions.Lookup first = resolve(created.cookieValue());
        clock.advance(Duration.ofSeconds(30));
        Sessions.Lookup second = resolve(created.cookieValue());

        assertThat(((Sessions.Lookup.Found) first).session().lastSeenAt()).isEqualTo(touchedAt);
        assertThat(((Sessions.Lookup.Found) second).session().lastSeenAt()).isEqualTo(touchedAt);
        assertThat(stored(created).lastSeenAt()).isEqualTo(touchedAt);
    }

    @Test
    void shortIdleTimeoutTouchesAtATenthOfIt() throws Exception {
        Sessions quick = new Sessions(store, cookie, clock, Duration.ofMinutes(5), ABSOLUTE, new SecureRandom());
        Sessions.Created created = signIn(quick);

        clock.advance(Duration.ofSeconds(29));
        join(quick.resolve(created.cookieValue()));
        assertThat(stored(created).lastSeenAt()).isEqualTo(created.session().lastSeenAt());
        clock.advance(Duration.ofSeconds(1));
        join(quick.resolve(created.cookieValue()));
        assertThat(stored(created).lastSeenAt()).isEqualTo(clock.instant());
    }

    @Test
    void regularActivityKeepsTheSessionAliveBeyondTheIdleTimeout() throws Exception {
        Sessions.Created created = signIn();

        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(resolve(created.cookieValue())).as("after %d minutes", (i + 1) * 20).isInstanceOf(Sessions.Lookup.Found.class);
        }
    }

    @Test
    void absoluteTimeoutEndsEvenAnActiveSession() throws Exception {
        Sessions shortLived = new Sessions(store, cookie, clock, IDLE, Duration.ofHours(2), new SecureRandom());
        Sessions.Created created = signIn(shortLived);

        for (int minutes = 20; minutes < 120; minutes += 20) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(join(shortLived.resolve(created.cookieValue()))).isInstanceOf(Sessions.Lookup.Found.class);
        }
        clock.advance(Duration.ofMinutes(20));

        assertThat(join(shortLived.resolve(created.cookieValue()))).isEqualTo(EXPIRED);
        assertThat(stored(created)).isNull();
    }

    @Test
    void idleExpiryNeverOutlivesTheAbsoluteExpiry() throws Exception {
        Session s = signIn().session().seenAt(clock.instant().plus(ABSOLUTE).minus(Duration.ofMinutes(5)));

        assertThat(s.idleExpiresAt(IDLE)).isEqualTo(s.absoluteExpiresAt());
    }

    @Test
    void updateSavesNewTokens() throws Exception {
        Sessions.Created created = signIn();
        Session refreshed = created.session().withTokens(new ProviderTokens("access-2", clock.instant().plusSeconds(600), "refresh-2", "id.token"));

        join(sessions.update(refreshed));

        assertThat(join(sessions.reload(created.session().key()))).isEqualTo(refreshed);
        assertThat(resolve(created.cookieValue())).isEqualTo(found(refreshed));
    }

    @Test
    void endDeletesTheSession() throws Exception {
        Sessions.Created created = signIn();

        join(sessions.end(created.session()));

        assertThat(resolve(created.cookieValue())).isEqualTo(SIGNED_OUT);
    }

    @Test
    void endByCookieDeletesOnlyThatSession() throws Exception {
        Sessions.Created mine = signIn();
        Sessions.Created other = signIn();

        join(sessions.endByCookie(mine.cookieValue()));
        join(sessions.endByCookie("garbage"));
        join(sessions.endByCookie(null));

        assertThat(resolve(mine.cookieValue())).isEqualTo(SIGNED_OUT);
        assertThat(resolve(other.cookieValue())).isInstanceOf(Sessions.Lookup.Found.class);
    }

    @Test
    void providerTokensAreRedactedInToString() {
        ProviderTokens tokens = new ProviderTokens("secret-access", Instant.EPOCH, "secret-refresh", "secret-id");

        assertThat(tokens.toString()).doesNotContain("secret");
    }

    @Test
    void sessionsOfMembersOfOneOrganizationShareItsMembership() throws Exception {
        // Heap per idle session (BRIEF §5, under 1 KiB): sign-ins parse claims into new strings each time, so the
        // store must not keep one copy of an organization's names and permissions per session.
        Sessions.Created a = join(sessions.create(new UserProfile("user_a", null, null, null), member("user_a"), tokens(), "a", null));
        Sessions.Created b = join(sessions.create(new UserProfile("user_b", null, null, null), member("user_b"), tokens(), "b", null));

        Subject storedB = stored(b).subject();
        assertThat(storedB).isEqualTo(member("user_b"));
        assertThat(storedB.organizations().get(0)).isSameAs(stored(a).subject().organizations().get(0));
    }

    private static Subject member(String userId) {
        dev.gatehouse.core.access.Membership acme = new dev.gatehouse.core.access.Membership(new String("org_1"), new String("acme"),
                new String("Acme"), new String("org:admin"), Set.of(new String("org:billing:read")));
        return new Subject(userId, Set.of(), List.of(acme), new String("org_1"));
    }

    private ProviderTokens tokens() {
        return new ProviderTokens("access", clock.instant().plusSeconds(300), null, null);
    }
}
