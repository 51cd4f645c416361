package dev.gatehouse.bench;

import dev.gatehouse.server.session.SessionCookie;
import dev.gatehouse.server.session.Sessions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cookie parse + session lookup: find the session cookie in a browser's {@code Cookie} header, check its shape,
 * hash it (SHA-256) and look it up in the in-memory store holding {@link #SESSIONS} sessions, with the idle and
 * absolute timeout checks of {@link Sessions#resolve}. Each call names a different session (cycling through all
 * of them), so the lookup is not served from one hot cache line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionLookupBenchmark {
    static final int SESSIONS = 100_000;

    private HotPath hot;
    private String[] cookieHeaders;
    private String cookieName;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        hot = new HotPath();
        cookieName = hot.sessions.cookie().name();
        cookieHeaders = new String[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
            Sessions.Created c = hot.sessions.create(HotPath.user(i), HotPath.subject(i), HotPath.noTokens(), "sub-" + i, null)
                    .toCompletableFuture().join();
            cookieHeaders[i] = HotPath.cookieHeader(cookieName, c.cookieValue());
        }
        if (!(resolve() instanceof Sessions.Lookup.Found)) {
            throw new IllegalStateException("the benchmark's sessions are not found");
        }
    }

    private Sessions.Lookup resolve() {
        String header = cookieHeaders[next];
        next = next + 1 == SESSIONS ? 0 : next + 1;
        return hot.sessions.resolve(SessionCookie.find(header, cookieName)).toCompletableFuture().join();
    }

    /** The whole step: parse the header, hash, look up, check timeouts. */
    @Benchmark
    public Sessions.Lookup cookieParseAndLookup() {
        return resolve();
    }

    /** The header parse alone, for comparison. */
    @Benchmark
    public String cookieParse() {
        String header = cookieHeaders[next];
        next = next + 1 == SESSIONS ? 0 : next + 1;
        return SessionCookie.find(header, cookieName);
    }

    /** The SHA-256 of the cookie value alone (the store key). */
    @Benchmark
    public String cookieHash() {
        String header = cookieHeaders[next];
        next = next + 1 == SESSIONS ? 0 : next + 1;
        return SessionCookie.hash(header.substring(header.length() - 43));
    }
}
