package dev.gatehouse.server.session;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long-lived connections (WebSockets, server-sent event streams) by the session that opened them, so they close
 * when the session ends: at sign-out or back-channel logout at once (through {@link Sessions#onEnd}), and at
 * expiry within one {@link #sweep()} interval.
 */
public final class LiveConnections {
    private final Sessions sessions;
    private final Map<String, Set<Runnable>> bySession = new ConcurrentHashMap<>();

    public LiveConnections(Sessions sessions) {
        this.sessions = sessions;
        sessions.onEnd(this::closeAll);
    }

    /**
     * Registers a connection's closer; returns the code to call when the connection ends by itself, which
     * forgets it (so a finished stream is not held on to).
     */
    public Runnable track(String sessionKey, Runnable close) {
        Runnable once = new Runnable() {
            private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public void run() {
                if (done.compareAndSet(false, true)) {
                    close.run();
                }
            }
        };
        bySession.computeIfAbsent(sessionKey, k -> ConcurrentHashMap.newKeySet()).add(once);
        return () -> bySession.computeIfPresent(sessionKey, (k, set) -> {
            set.remove(once);
            return set.isEmpty() ? null : set;
        });
    }

    public int size() {
        return bySession.values().stream().mapToInt(Set::size).sum();
    }

    /** Closes the connections of sessions that have expired (or vanished from the store meanwhile). */
    public CompletableFuture<Void> sweep() {
        CompletableFuture<?>[] checks = bySession.keySet().stream()
                .map(key -> sessions.isLive(key).thenAccept(live -> {
                    if (!live) {
                        closeAll(key);
                    }
                }).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(checks);
    }

    private void closeAll(String sessionKey) {
        Set<Runnable> closers = bySession.remove(sessionKey);
        if (closers != null) {
            closers.forEach(Runnable::run);
        }
    }
}
