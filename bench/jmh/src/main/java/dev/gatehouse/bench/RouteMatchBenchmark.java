package dev.gatehouse.bench;

import dev.gatehouse.server.proxy.PathGuard;
import dev.gatehouse.server.proxy.Route;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Route match on a table of {@link HotPath#ROUTES} routes ({@code /api/svc-N/**}, first match wins, in file
 * order): a path matched by the first route, by the last, and by none. Path canonicalisation
 * ({@link PathGuard}) is measured with it, as the gate runs both on every request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteMatchBenchmark {
    @Param({"early", "late", "miss"})
    public String where;

    private HotPath hot;
    private String path;

    @Setup(Level.Trial)
    public void setUp() {
        hot = new HotPath();
        switch (where) {
            case "early": path = "/api/svc-0/orders/12345/items"; break;
            case "late": path = "/api/svc-" + (HotPath.ROUTES - 1) + "/orders/12345/items"; break;
            default: path = "/api/unknown/orders/12345/items";
        }
        Route r = hot.routes.match("app.example.com", path);
        boolean expected = !where.equals("miss");
        if ((r != null) != expected) {
            throw new IllegalStateException("route table does not behave as the benchmark assumes for " + path);
        }
    }

    @Benchmark
    public Route match() {
        return hot.routes.match("app.example.com", path);
    }

    @Benchmark
    public Route canonicalAndMatch() {
        return hot.routes.match("app.example.com", PathGuard.canonical(path));
    }
}
