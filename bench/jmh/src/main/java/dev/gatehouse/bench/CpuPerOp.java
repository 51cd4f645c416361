package dev.gatehouse.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hot-path benchmarks measured in CPU time per operation instead of wall-clock time: on a machine shared with
 * other jobs (load far above the core count), JMH's wall-clock figures mostly measure how long the thread waits
 * for a core, while this thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime}) counts only the time it
 * ran. Each operation is the same method JMH runs, on the same set-up; it is warmed for 3 s (so the JIT has
 * compiled it), then run in 7 rounds of 0.5 s of CPU each. Prints the median and the lowest round.
 *
 * <pre>java -cp bench/jmh/target/benchmarks.jar dev.gatehouse.bench.CpuPerOp [name-filter]</pre>
 */
public final class CpuPerOp {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static int sink;

    private CpuPerOp() {
    }

    public static void main(String[] args) throws Exception {
        String filter = args.length > 0 ? args[0] : "";
        Map<String, Supplier<Supplier<Object>>> ops = new LinkedHashMap<>();
        ops.put("SessionLookup.cookieParseAndLookup", () -> {
            SessionLookupBenchmark b = new SessionLookupBenchmark();
            b.setUp();
            return b::cookieParseAndLookup;
        });
        ops.put("SessionLookup.cookieHash", () -> {
            SessionLookupBenchmark b = new SessionLookupBenchmark();
            b.setUp();
            return b::cookieHash;
        });
        for (String where : new String[] {"early", "late", "miss"}) {
            ops.put("RouteMatch.match [" + where + "]", () -> {
                RouteMatchBenchmark b = new RouteMatchBenchmark();
                b.where = where;
                b.setUp();
                return b::match;
            });
        }
        ops.put("Gate.ruleDecide", () -> {
            GateBenchmark b = new GateBenchmark();
            b.setUp();
            return b::ruleDecide;
        });
        ops.put("Gate.gatekeeperDecide", () -> {
            GateBenchmark b = new GateBenchmark();
            b.setUp();
            return b::gatekeeperDecide;
        });
        ops.put("TokenCache.cachedHit", () -> {
            TokenCacheBenchmark b = new TokenCacheBenchmark();
            b.setUp();
            return b::cachedHit;
        });
        ops.put("HeaderRewrite.droppedCheck", () -> {
            HeaderRewriteBenchmark b = new HeaderRewriteBenchmark();
            b.setUp();
            return b::droppedCheck;
        });
        ops.put("HeaderRewrite.cookieStrip", () -> {
            HeaderRewriteBenchmark b = new HeaderRewriteBenchmark();
            b.setUp();
            return b::cookieStrip;
        });
        ops.put("HeaderRewrite.rewrite", () -> {
            HeaderRewriteBenchmark b = new HeaderRewriteBenchmark();
            b.setUp();
            return b::rewrite;
        });
        System.out.println("| operation | CPU ns/op, median of 7 rounds | lowest round |");
        System.out.println("|---|---:|---:|");
        for (Map.Entry<String, Supplier<Supplier<Object>>> e : ops.entrySet()) {
            if (!e.getKey().contains(filter)) {
                continue;
            }
            Supplier<Object> op = e.getValue().get();
            run(op, 3_000_000_000L);
            List<Double> rounds = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                rounds.add(run(op, 500_000_000L));
            }
            rounds.sort(null);
            System.out.printf("| %s | %.0f | %.0f |%n", e.getKey(), rounds.get(3), rounds.get(0));
            System.out.flush();
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** Runs {@code op} until the thread has used {@code cpuNanos} of CPU; returns CPU nanoseconds per call. */
    private static double run(Supplier<Object> op, long cpuNanos) {
        long start = THREADS.getCurrentThreadCpuTime();
        long calls = 0;
        long used;
        do {
            for (int i = 0; i < 1000; i++) {
                sink += System.identityHashCode(op.get());
            }
            calls += 1000;
            used = THREADS.getCurrentThreadCpuTime() - start;
        } while (used < cpuNanos);
        return used / (double) calls;
    }
}
