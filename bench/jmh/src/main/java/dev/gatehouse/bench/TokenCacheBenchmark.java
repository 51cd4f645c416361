package dev.gatehouse.bench;

import dev.gatehouse.server.tokens.Caller;
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
 * Minted-token cache hit: {@code TokenBroker.mint(caller, "billing")} for callers whose token was minted in the
 * set-up and is still fresh (fixed clock), so no signing happens. {@code cachedHit} cycles through
 * {@link #CALLERS} callers; {@code cachedHitOneCaller} asks for the same caller every time. {@code mintUncached}
 * is the miss for comparison: the broker's own minter path (template evaluation and ES256 signature), for a
 * caller whose tokens are dropped before each call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TokenCacheBenchmark {
    static final int CALLERS = 10_000;

    private HotPath hot;
    private Caller[] callers;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        hot = new HotPath();
        callers = new Caller[CALLERS];
        for (int i = 0; i < CALLERS; i++) {
            callers[i] = new Caller("key-" + i, HotPath.user(i), HotPath.subject(i), "sess_" + i);
            hot.broker.mint(callers[i], "billing");
        }
    }

    @Benchmark
    public String cachedHit() {
        Caller c = callers[next];
        next = next + 1 == CALLERS ? 0 : next + 1;
        return hot.broker.mint(c, "billing");
    }

    @Benchmark
    public String cachedHitOneCaller() {
        return hot.broker.mint(callers[0], "billing");
    }

    @Benchmark
    public String mintUncached() {
        hot.broker.forget(callers[1].cacheKey());
        return hot.broker.mint(callers[1], "billing");
    }
}
