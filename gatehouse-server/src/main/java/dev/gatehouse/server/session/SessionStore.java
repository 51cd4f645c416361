package dev.gatehouse.server.session;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Where sessions live. Implementations may be remote, so every call is asynchronous; the memory store answers
 * with completed stages. Keys are already hashed. Implementations must not enforce timeouts themselves beyond
 * dropping entries after {@code evictAfter}: {@link Sessions} decides what is expired.
 */
public interface SessionStore {

    /** The session saved under {@code key}, or null. */
    CompletionStage<Session> find(String key);

    /** Saves (or replaces) a session; the store may forget it after {@code evictAfter}. */
    CompletionStage<Void> save(Session session, Instant evictAfter);

    /** Forgets a session; completes normally when there was none. */
    CompletionStage<Void> delete(String key);

    /**
     * Every live session with this provider subject ({@code sub}) and/or provider session id ({@code sid}); a
     * null argument matches anything, but not both may be null. For back-channel logout: rare, so it may scan.
     */
    CompletionStage<java.util.List<Session>> findByProvider(String subject, String sid);

    /** A quick check for readiness probes: completes exceptionally when the store cannot serve. */
    CompletionStage<Void> ping();
}
