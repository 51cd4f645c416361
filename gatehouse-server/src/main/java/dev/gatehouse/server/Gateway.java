package dev.gatehouse.server;

import dev.gatehouse.server.config.GatewayConfig;
import dev.gatehouse.server.csrf.CsrfCheck;
import dev.gatehouse.server.health.Readiness;
import dev.gatehouse.server.http.GatewayServer;
import dev.gatehouse.server.http.ServerParts;
import dev.gatehouse.server.login.ClaimsMapping;
import dev.gatehouse.server.login.LoginFlow;
import dev.gatehouse.server.login.LoginTransactions;
import dev.gatehouse.server.login.OidcClient;
import dev.gatehouse.server.login.TokenRefresher;
import dev.gatehouse.server.metrics.GatewayMetrics;
import dev.gatehouse.server.proxy.RouteTable;
import dev.gatehouse.server.session.MemorySessionStore;
import dev.gatehouse.server.session.SessionCookie;
import dev.gatehouse.server.session.Sessions;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running gateway. {@link #start} wires every part by hand from a validated config: no container, one place
 * to read how the pieces fit. The clock and random source are injected so tests can move time.
 */
public final class Gateway implements AutoCloseable {
    private final GatewayServer server;
    private final ExecutorService blocking;
    private final ScheduledExecutorService housekeeping;

    private Gateway(GatewayServer server, ExecutorService blocking, ScheduledExecutorService housekeeping) {
        this.server = server;
        this.blocking = blocking;
        this.housekeeping = housekeeping;
    }

    public static CompletableFuture<Gateway> start(GatewayConfig config) {
        return start(config, Clock.systemUTC(), new SecureRandom());
    }

    public static CompletableFuture<Gateway> start(GatewayConfig config, Clock clock, SecureRandom random) {
        ExecutorService blocking = Executors.newFixedThreadPool(16, daemonThreads("gatehouse-blocking"));
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(daemonThreads("gatehouse-housekeeping"));
        GatewayMetrics metrics = new GatewayMetrics();

        MemorySessionStore store = new MemorySessionStore(clock);
        housekeeping.scheduleAtFixedRate(store::sweep, 1, 1, TimeUnit.MINUTES);
        metrics.sessionsGauge(store::size);
        LoginTransactions transactions = new LoginTransactions();
        ClaimsMapping claims = new ClaimsMapping(config.identity().claims());
        RouteTable routes = new RouteTable(config.routes());
        return GatewayServer.start(config, port -> {
            URI publicUrl = config.publicUrl(port);
            SessionCookie cookie = new SessionCookie(publicUrl, config.session().sameSite() == GatewayConfig.SameSite.STRICT, random);
            Sessions sessions = new Sessions(store, cookie, clock, config.session().idleTimeout(), config.session().absoluteTimeout(), random);
            OidcClient oidc = new OidcClient(config.identity(), publicUrl, blocking, clock);
            oidc.discover();
            LoginFlow login = new LoginFlow(oidc, transactions, sessions, claims, clock, metrics);
            TokenRefresher refresher = new TokenRefresher(oidc, sessions, config.identity().refreshBeforeExpiry(), metrics);
            return new ServerParts(config, publicUrl, sessions, login, oidc, refresher, routes,
                    new CsrfCheck(config.csrf().header(), publicUrl, config.csrf().allowedOrigins()),
                    new Readiness(store, oidc), metrics);
        })
                .thenApply(server -> new Gateway(server, blocking, housekeeping))
                .whenComplete((g, e) -> {
                    if (e != null) {
                        blocking.shutdownNow();
                        housekeeping.shutdownNow();
                    }
                });
    }

    /** The public listener's port (useful when the config asked for port 0). */
    public int port() {
        return server.port();
    }

    /** The admin listener's port, or -1 when it is off. */
    public int adminPort() {
        return server.adminPort();
    }

    @Override
    public void close() {
        server.close();
        blocking.shutdownNow();
        housekeeping.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
