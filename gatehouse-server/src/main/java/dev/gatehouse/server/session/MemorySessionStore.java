package dev.gatehouse.server.session;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions in this process's heap, for a single instance. Entries past their eviction time are dropped by
 * {@link #sweep()}, which the gateway runs periodically; reads never return them either.
 */
public final class MemorySessionStore implements SessionStore {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<Session> NONE = CompletableFuture.completedFuture(null);

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    private record Entry(Session session, Instant evictAfter) {
    }

    public MemorySessionStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Session> find(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return NONE;
        }
        if (e.evictAfter.isBefore(clock.instant())) {
            entries.remove(key, e);
            return NONE;
        }
        return CompletableFuture.completedFuture(e.session);
    }

    @Override
    public CompletionStage<Void> save(Session session, Instant evictAfter) {
        entries.put(session.key(), new Entry(session, evictAfter));
        return DONE;
    }

    @Override
    public CompletionStage<Void> delete(String key) {
        entries.remove(key);
        return DONE;
    }

    @Override
    public CompletionStage<java.util.List<Session>> findByProvider(String subject, String sid) {
        if (subject == null && sid == null) {
            throw new IllegalArgumentException("subject or sid is required");
        }
        Instant now = clock.instant();
        java.util.List<Session> out = new java.util.ArrayList<>();
        for (Entry e : entries.values()) {
            boolean matches = (subject == null || subject.equals(e.session.providerSubject()))
                    && (sid == null || sid.equals(e.session.providerSessionId()));
            if (matches && !e.evictAfter.isBefore(now)) {
                out.add(e.session);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<Void> ping() {
        return DONE;
    }

    /** Drops every entry past its eviction time; returns how many remain. */
    public int sweep() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> e.evictAfter.isBefore(now));
        return entries.size();
    }

    public int size() {
        return entries.size();
    }
}
