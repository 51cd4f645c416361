package dev.gatehouse.server.session;

import dev.gatehouse.core.access.Subject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Creates, finds and ends sessions, applying the idle (sliding) and absolute timeouts with an injected clock.
 *
 * <p>Activity is written back at most once per {@link #touchInterval}, so a busy session costs one store write
 * a minute, not one per request, while idle expiry stays accurate to that interval.
 *
 * <p>The store may drop a session only {@link #EXPIRED_KEPT_FOR} after it expires, so a browser returning in that
 * time is told {@code session_expired} (and the session is deleted then), not {@code signed_out}.
 */
public final class Sessions {
    public static final String SIGNED_OUT = "signed_out";
    public static final String SESSION_EXPIRED = "session_expired";
    public static final Duration EXPIRED_KEPT_FOR = Duration.ofHours(1);

    private final SessionStore store;
    private final SessionCookie cookie;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final Duration touchInterval;
    private final SecureRandom random;
    private final SubjectInterner subjects = new SubjectInterner(SubjectInterner.DEFAULT_LIMIT);
    private final java.util.List<java.util.function.Consumer<String>> endListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The outcome of looking up a cookie: a live session, or the reason there is none. */
    public sealed interface Lookup {
        record Found(Session session) implements Lookup {
        }

        record Missing(String reason) implements Lookup {
        }
    }

    private static final Lookup SIGNED_OUT_LOOKUP = new Lookup.Missing(SIGNED_OUT);
    private static final Lookup EXPIRED_LOOKUP = new Lookup.Missing(SESSION_EXPIRED);
    private static final CompletableFuture<Lookup> SIGNED_OUT_DONE = CompletableFuture.completedFuture(SIGNED_OUT_LOOKUP);

    /** A new session and the cookie value that names it; the value is given out once, here. */
    public record Created(Session session, String cookieValue) {
        @Override
        public String toString() {
            return "Created[" + session + "]";
        }
    }

    public Sessions(SessionStore store, SessionCookie cookie, Clock clock, Duration idleTimeout, Duration absoluteTimeout,
            SecureRandom random) {
        this.store = store;
        this.cookie = cookie;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.absoluteTimeout = absoluteTimeout;
        Duration tenth = idleTimeout.dividedBy(10);
        this.touchInterval = tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
        this.random = random;
    }

    /**
     * Registers code to run when a session ends here (sign-out, expiry noticed, refresh rejected, back-channel
     * logout), given the session's store key: cached tokens are dropped, live connections closed.
     */
    public void onEnd(java.util.function.Consumer<String> listener) {
        endListeners.add(listener);
    }

    private CompletionStage<Void> delete(String key) {
        return store.delete(key).thenRun(() -> endListeners.forEach(l -> l.accept(key)));
    }

    public SessionCookie cookie() {
        return cookie;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public SessionStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Starts a session with a new id. Any previous session of the browser must be ended by the caller. The subject's
     * memberships and roles are stored as instances shared with other sessions that hold equal ones.
     */
    public CompletionStage<Created> create(UserProfile user, Subject subject, ProviderTokens tokens, String providerSubject,
            String providerSessionId) {
        String value = cookie.newValue();
        Instant now = clock.instant();
        Session session = new Session(SessionCookie.hash(value), publicId(), user, subjects.intern(subject), tokens, providerSubject,
                providerSessionId, now, now, now.plus(absoluteTimeout));
        return store.save(session, evictAfter(session)).thenApply(v -> new Created(session, value));
    }

    /** Finds the live session named by a cookie value (which may be null or garbage). */
    public CompletionStage<Lookup> resolve(String cookieValue) {
        if (!SessionCookie.wellFormed(cookieValue)) {
            return SIGNED_OUT_DONE;
        }
        return store.find(SessionCookie.hash(cookieValue)).thenCompose(this::check);
    }

    private CompletionStage<Lookup> check(Session session) {
        if (session == null) {
            return SIGNED_OUT_DONE;
        }
        Instant now = clock.instant();
        if (!now.isBefore(session.idleExpiresAt(idleTimeout))) {
            return delete(session.key()).thenApply(v -> EXPIRED_LOOKUP);
        }
        if (Duration.between(session.lastSeenAt(), now).compareTo(touchInterval) >= 0) {
            Session touched = session.seenAt(now);
            return store.save(touched, evictAfter(touched)).thenApply(v -> new Lookup.Found(touched));
        }
        return CompletableFuture.completedFuture(new Lookup.Found(session));
    }

    /** Whether the session under {@code key} still exists and has not timed out; touches nothing. */
    public CompletionStage<Boolean> isLive(String key) {
        return store.find(key).thenApply(s -> s != null && clock.instant().isBefore(s.idleExpiresAt(idleTimeout)));
    }

    /** Saves a session whose tokens changed. */
    public CompletionStage<Void> update(Session session) {
        return store.save(session, evictAfter(session));
    }

    private Instant evictAfter(Session session) {
        return session.idleExpiresAt(idleTimeout).plus(EXPIRED_KEPT_FOR);
    }

    /** Re-reads a session from the store, for callers that must not act on a stale copy. */
    public CompletionStage<Session> reload(String key) {
        return store.find(key);
    }

    public CompletionStage<Void> end(Session session) {
        return delete(session.key());
    }

    /**
     * Makes another of the user's organizations the active one. Completes with the updated session, or null
     * when the user is not a member of that organization.
     */
    public CompletionStage<Session> switchOrganization(Session session, String organizationId) {
        Subject s = session.subject();
        if (s.organizations().stream().noneMatch(m -> m.id().equals(organizationId))) {
            return CompletableFuture.completedFuture(null);
        }
        Session updated = session.withSubject(new Subject(s.userId(), s.roles(), s.organizations(), organizationId));
        return update(updated).thenApply(v -> updated);
    }

    /** Ends the sessions a back-channel logout names: by provider {@code sub}, {@code sid} or both. */
    public CompletionStage<Integer> endByProvider(String subject, String sid) {
        return store.findByProvider(subject, sid).thenCompose(found -> {
            CompletableFuture<?>[] ends = found.stream()
                    .map(x -> end(x).toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(ends).thenApply(v -> ends.length);
        });
    }

    /** Ends the session named by a cookie value, if there is one. */
    public CompletionStage<Void> endByCookie(String cookieValue) {
        if (!SessionCookie.wellFormed(cookieValue)) {
            return CompletableFuture.completedFuture(null);
        }
        return delete(SessionCookie.hash(cookieValue));
    }

    private String publicId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "sess_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
