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
import dev.gatehouse.server.gate.Gatekeeper;
import dev.gatehouse.server.keys.FileSigningKeyStore;
import dev.gatehouse.server.keys.SigningKeys;
import dev.gatehouse.server.login.BackchannelLogout;
import dev.gatehouse.server.login.BearerVerifier;
import dev.gatehouse.server.session.LiveConnections;
import dev.gatehouse.server.tokens.TokenBroker;
import dev.gatehouse.server.tokens.TokenMinter;
import java.io.IOException;
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
        SigningKeys keys;
        try {
            keys = new SigningKeys(new FileSigningKeyStore(config.signing().keyFile()), config.signing().algorithm(),
                    config.signing().rotation(), longestTokenLifetime(config), clock).start();
        } catch (IOException e) {
            blocking.shutdownNow();
            housekeeping.shutdownNow();
            return CompletableFuture.failedFuture(e);
        }
        SigningKeys signingKeys = keys;
        housekeeping.scheduleAtFixedRate(() -> rotate(signingKeys), 1, 1, TimeUnit.HOURS);
        return GatewayServer.start(config, port -> {
            URI publicUrl = config.publicUrl(port);
            String origin = publicUrl.getScheme() + "://" + publicUrl.getRawAuthority();
            SessionCookie cookie = new SessionCookie(publicUrl, config.session().sameSite() == GatewayConfig.SameSite.STRICT, random);
            Sessions sessions = new Sessions(store, cookie, clock, config.session().idleTimeout(), config.session().absoluteTimeout(), random);
            OidcClient oidc = new OidcClient(config.identity(), publicUrl, blocking, clock);
            oidc.discover();
            LoginFlow login = new LoginFlow(oidc, transactions, sessions, claims, clock, metrics);
            TokenRefresher refresher = new TokenRefresher(oidc, sessions, config.identity().refreshBeforeExpiry(), metrics);
            TokenMinter minter = new TokenMinter(signingKeys, origin, origin, clock, random);
            TokenBroker broker = new TokenBroker(minter, oidc, config.tokenTemplates(), clock);
            sessions.onEnd(broker::forget);
            LiveConnections live = new LiveConnections(sessions);
            housekeeping.scheduleAtFixedRate(live::sweep, LIVE_SWEEP_SECONDS, LIVE_SWEEP_SECONDS, TimeUnit.SECONDS);
            CsrfCheck csrf = new CsrfCheck(config.csrf().header(), publicUrl, config.csrf().allowedOrigins());
            Gatekeeper gatekeeper = new Gatekeeper(routes, csrf, sessions, refresher, broker,
                    new BearerVerifier(oidc, claims, config.identity().bearerAudiences(), clock));
            return new ServerParts(config, publicUrl, sessions, login, oidc, refresher, routes, csrf, gatekeeper, signingKeys,
                    minter, broker, live, new BackchannelLogout(oidc, sessions, clock), new Readiness(store, oidc), metrics);
        })
                .thenApply(server -> new Gateway(server, blocking, housekeeping))
                .whenComplete((g, e) -> {
                    if (e != null) {
                        blocking.shutdownNow();
                        housekeeping.shutdownNow();
                    }
                });
    }

    /** How often live connections (WebSockets, event streams) are checked against session expiry. */
    static final long LIVE_SWEEP_SECONDS = 2;

    private static java.time.Duration longestTokenLifetime(GatewayConfig config) {
        java.time.Duration longest = dev.gatehouse.core.tokens.TokenTemplate.DEFAULT_LIFETIME;
        for (dev.gatehouse.core.tokens.TokenTemplate t : config.tokenTemplates().values()) {
            if (t.lifetime().compareTo(longest) > 0) {
                longest = t.lifetime();
            }
        }
        return longest;
    }

    private static void rotate(SigningKeys keys) {
        try {
            keys.rotateIfDue();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Gateway.class).error("Signing key rotation failed: {}", e.getMessage());
        }
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
