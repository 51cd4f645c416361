package dev.gatehouse.bench;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.gatehouse.server.login.ClaimsMapping;
import dev.gatehouse.server.session.MemorySessionStore;
import dev.gatehouse.server.session.ProviderTokens;
import dev.gatehouse.server.session.SessionCookie;
import dev.gatehouse.server.session.Sessions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Heap per idle in-memory session: creates {@code N} sessions (default 100,000) through {@link Sessions#create}
 * into a {@link MemorySessionStore}, each from its own ID-token claims parsed from JSON and mapped by
 * {@link ClaimsMapping} as a sign-in does, so no string is shared between sessions unless the gateway shares it.
 * Heap in use is read after a full collection before and after; the difference divided by {@code N} is the figure.
 *
 * <p>Claims: a UUID {@code sub}, {@code sid}, email, name, and two organizations (id, slug, name, role, four
 * and two permissions), the active one as {@code org}. Provider tokens are empty (all null) unless {@code --tokens}
 * is given, which stores a realistic access, refresh and ID token per session (their size is reported apart).
 *
 * <pre>java -cp bench/jmh/target/benchmarks.jar dev.gatehouse.bench.SessionHeap [N] [--tokens] [--histo]</pre>
 */
public final class SessionHeap {
    private SessionHeap() {
    }

    public static void main(String[] args) throws Exception {
        int n = 100_000;
        boolean withTokens = false;
        boolean histo = false;
        for (String a : args) {
            if (a.equals("--tokens")) {
                withTokens = true;
            } else if (a.equals("--histo")) {
                histo = true;
            } else {
                n = Integer.parseInt(a);
            }
        }
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        MemorySessionStore store = new MemorySessionStore(clock);
        Sessions sessions = new Sessions(store, new SessionCookie(URI.create(HotPath.PUBLIC_URL), false, random), clock,
                Duration.ofMinutes(30), Duration.ofHours(12), random);
        ClaimsMapping claims = new ClaimsMapping(Map.of());
        // Warm up the code paths once, so class loading and JIT structures are in the "before" figure.
        create(sessions, claims, -1, withTokens);
        sessions.end(store.find(onlyKey(store)).toCompletableFuture().join());

        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            create(sessions, claims, i, withTokens);
        }
        long after = usedAfterGc();
        if (store.size() != n) {
            throw new IllegalStateException("expected " + n + " sessions, store holds " + store.size());
        }
        double perSession = (after - before) / (double) n;
        System.out.printf("sessions=%d tokens=%s heapBefore=%d heapAfter=%d bytesPerSession=%.1f (%.3f KiB)%n",
                n, withTokens ? "stored" : "excluded", before, after, perSession, perSession / 1024);
        System.out.flush();
        if (histo) {
            Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).lines()) {
                List<String> all = lines.toList();
                all.subList(0, Math.min(28, all.size())).forEach(System.out::println);
            }
            p.waitFor();
        }
        System.out.println("(store still holds " + store.size() + " sessions)");
    }

    private static String onlyKey(MemorySessionStore store) {
        // The warm-up session's key is not known from outside the store; find it by its provider subject.
        return store.findByProvider("warm-up", null).toCompletableFuture().join().get(0).key();
    }

    private static void create(Sessions sessions, ClaimsMapping claims, int i, boolean withTokens) throws Exception {
        String sub = i < 0 ? "warm-up" : UUID.randomUUID().toString();
        String json = "{\"iss\":\"https://idp.example.com/realms/acme\",\"aud\":\"gatehouse\",\"sub\":\"" + sub + "\","
                + "\"sid\":\"" + UUID.randomUUID() + "\",\"email\":\"user" + i + "@example.com\",\"name\":\"User Number " + i + "\","
                + "\"org\":\"org_2ab9Xq7Lm\",\"organizations\":["
                + "{\"id\":\"org_2ab9Xq7Lm\",\"slug\":\"acme\",\"name\":\"Acme Corporation\",\"role\":\"org:admin\","
                + "\"permissions\":[\"org:billing:read\",\"org:billing:manage\",\"org:reports:read\",\"org:members:manage\"]},"
                + "{\"id\":\"org_7Hc31Vp0d\",\"slug\":\"globex\",\"name\":\"Globex\",\"role\":\"org:member\","
                + "\"permissions\":[\"org:billing:read\",\"org:reports:read\"]}]}";
        Map<String, Object> idClaims = JSONObjectUtils.parse(json);
        ClaimsMapping.Mapped mapped = claims.map(idClaims, null);
        ProviderTokens tokens = withTokens
                ? new ProviderTokens(randomToken(1100), HotPath.NOW.plusSeconds(300), randomToken(700), randomToken(1200))
                : new ProviderTokens(null, null, null, null);
        sessions.create(mapped.user(), mapped.subject(), tokens, String.valueOf(idClaims.get("sub")),
                String.valueOf(idClaims.get("sid"))).toCompletableFuture().join();
    }

    private static String randomToken(int length) {
        StringBuilder b = new StringBuilder(length);
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(r.nextInt(64)));
        }
        return b.toString();
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        // Several full collections until the figure stops falling: one System.gc() may leave finalizable or
        // soft-referenced garbage behind.
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            used = Math.min(used, now);
        }
        return used;
    }
}
