package dev.gatehouse.bench;

import dev.gatehouse.core.access.AccessRule;
import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.access.Subject;
import dev.gatehouse.server.gate.Gatekeeper;
import dev.gatehouse.server.gate.Verdict;
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
 * Rule evaluation: a route's permission rule ({@code require: {permissions: [org:svcN:read]}}) decided for a
 * member of the active organization, alone ({@link AccessRule#decide}) and as the whole {@link Gatekeeper}
 * decision for a signed-in browser's {@code GET}: canonical path, route match (route 200 of 200), CSRF check,
 * session lookup, rule, and the route's per-service token from the broker's cache. Each call is a different
 * browser, cycling through {@link #BROWSERS} sessions whose tokens were minted in the set-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GateBenchmark {
    static final int BROWSERS = 10_000;

    private HotPath hot;
    private AccessRule rule;
    private Subject subject;
    private Gatekeeper.Facts[] facts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        hot = new HotPath();
        String path = "/api/svc-" + (HotPath.ROUTES - 1) + "/orders";
        rule = hot.routes.match("app.example.com", path).rule();
        subject = HotPath.subject(0);
        if (!(rule.decide(subject, Sessions.SIGNED_OUT) instanceof Decision.Allow)) {
            throw new IllegalStateException("the benchmark's subject is not allowed by the rule");
        }
        facts = new Gatekeeper.Facts[BROWSERS];
        for (int i = 0; i < BROWSERS; i++) {
            Sessions.Created c = hot.sessions.create(HotPath.user(i), HotPath.subject(i), HotPath.noTokens(), "sub-" + i, null)
                    .toCompletableFuture().join();
            facts[i] = new Gatekeeper.Facts("GET", "app.example.com", path, c.cookieValue(), null, null, null, "same-origin");
            Verdict v = hot.gatekeeper.decide(facts[i]).toCompletableFuture().join();
            if (!(v instanceof Verdict.Pass pass) || pass.upstreamToken() == null) {
                throw new IllegalStateException("the benchmark's request is not passed with a token: " + v);
            }
        }
    }

    @Benchmark
    public Decision ruleDecide() {
        return rule.decide(subject, Sessions.SIGNED_OUT);
    }

    @Benchmark
    public Verdict gatekeeperDecide() {
        Gatekeeper.Facts f = facts[next];
        next = next + 1 == BROWSERS ? 0 : next + 1;
        return hot.gatekeeper.decide(f).toCompletableFuture().join();
    }
}
