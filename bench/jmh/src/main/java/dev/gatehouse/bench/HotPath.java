package dev.gatehouse.bench;

import dev.gatehouse.core.access.Membership;
import dev.gatehouse.core.access.Subject;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatewayConfig;
import dev.gatehouse.server.csrf.CsrfCheck;
import dev.gatehouse.server.gate.Gatekeeper;
import dev.gatehouse.server.keys.FileSigningKeyStore;
import dev.gatehouse.server.keys.SigningKeys;
import dev.gatehouse.server.login.BearerVerifier;
import dev.gatehouse.server.login.ClaimsMapping;
import dev.gatehouse.server.login.OidcClient;
import dev.gatehouse.server.login.TokenRefresher;
import dev.gatehouse.server.metrics.GatewayMetrics;
import dev.gatehouse.server.proxy.RouteTable;
import dev.gatehouse.server.session.MemorySessionStore;
import dev.gatehouse.server.session.ProviderTokens;
import dev.gatehouse.server.session.SessionCookie;
import dev.gatehouse.server.session.Sessions;
import dev.gatehouse.server.session.UserProfile;
import dev.gatehouse.server.tokens.TokenBroker;
import dev.gatehouse.server.tokens.TokenMinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * The gateway's hot-path parts wired as {@code Gateway.start} wires them, without the HTTP server: a config of
 * {@link #ROUTES} routes parsed from YAML, the in-memory session store, the CSRF check, the token broker with a
 * real signing key, and the {@link Gatekeeper}. The clock is fixed, so sessions stay inside their touch interval
 * and cached tokens stay fresh: the benchmarks measure the steady state of a returning browser.
 */
final class HotPath {
    static final int ROUTES = 200;
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final String PUBLIC_URL = "https://app.example.com";

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final SecureRandom random = new SecureRandom();
    final GatewayConfig config;
    final RouteTable routes;
    final MemorySessionStore store = new MemorySessionStore(clock);
    final Sessions sessions;
    final TokenBroker broker;
    final Gatekeeper gatekeeper;

    HotPath() {
        try {
            Path dir = Files.createTempDirectory("gatehouse-bench");
            dir.toFile().deleteOnExit();
            config = new ConfigLoader(name -> null).parse(yaml(dir.resolve("keys.json")));
            routes = new RouteTable(config.routes());
            URI publicUrl = config.publicUrl(8080);
            SessionCookie cookie = new SessionCookie(publicUrl, false, random);
            sessions = new Sessions(store, cookie, clock, config.session().idleTimeout(), config.session().absoluteTimeout(), random);
            OidcClient oidc = new OidcClient(config.identity(), publicUrl, Executors.newSingleThreadExecutor(), clock);
            SigningKeys keys = new SigningKeys(new FileSigningKeyStore(config.signing().keyFile()), config.signing().algorithm(),
                    config.signing().rotation(), java.time.Duration.ofMinutes(5), clock).start();
            TokenMinter minter = new TokenMinter(keys, PUBLIC_URL, PUBLIC_URL, clock, random);
            broker = new TokenBroker(minter, oidc, config.tokenTemplates(), clock);
            CsrfCheck csrf = new CsrfCheck(config.csrf().header(), publicUrl, config.csrf().allowedOrigins());
            ClaimsMapping claims = new ClaimsMapping(config.identity().claims());
            gatekeeper = new Gatekeeper(routes, csrf, sessions,
                    new TokenRefresher(oidc, sessions, config.identity().refreshBeforeExpiry(), new GatewayMetrics()), broker,
                    new BearerVerifier(oidc, claims, config.identity().bearerAudiences(), clock));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (dev.gatehouse.server.config.ConfigException e) {
            throw new IllegalStateException(e.errors().toString(), e);
        }
    }

    /**
     * {@link #ROUTES} routes, one per service ({@code /api/svc-N/**}), each needing a permission in the active
     * organization and minting a per-service token; no catch-all, so an unknown path scans the whole table.
     */
    static String yaml(Path keyFile) {
        StringBuilder y = new StringBuilder()
                .append("public_url: ").append(PUBLIC_URL).append('\n')
                .append("identity: {issuer: 'https://idp.example.com/realms/acme', client_id: gatehouse, client_secret: s}\n")
                .append("signing: {algorithm: ES256, key_file: '").append(keyFile).append("'}\n")
                .append("token_templates:\n")
                .append("  billing: {audience: billing-api, lifetime: 60s, claims: {email: '{{user.email}}', tenant: 'org-{{org.slug}}'}}\n")
                .append("routes:\n");
        for (int i = 0; i < ROUTES; i++) {
            y.append("  - {match: /api/svc-").append(i).append("/**, upstream: 'http://127.0.0.1:9001', access: authenticated, ")
                    .append("require: {permissions: ['org:svc").append(i).append(":read']}, token: {template: billing}}\n");
        }
        return y.toString();
    }

    /** A user as a provider's claims describe one: email, name, two organizations with their permissions. */
    static UserProfile user(int n) {
        return new UserProfile("user_" + n, "user" + n + "@example.com", "User Number " + n, null);
    }

    static Subject subject(int n) {
        Membership acme = new Membership("org_2ab9Xq7Lm", "acme", "Acme Corporation", "org:admin",
                Set.of("org:svc0:read", "org:svc199:read", "org:billing:read", "org:billing:manage"));
        Membership globex = new Membership("org_7Hc31Vp0d", "globex", "Globex", "org:member", Set.of("org:svc0:read"));
        return new Subject("user_" + n, Set.of("user"), List.of(acme, globex), acme.id());
    }

    /** Provider tokens with null values: the benchmarks never relay them. */
    static ProviderTokens noTokens() {
        return new ProviderTokens(null, null, null, null);
    }

    static Map<String, String> browserHeaders(String cookieHeader) {
        return Map.ofEntries(
                Map.entry("Host", "app.example.com"),
                Map.entry("Connection", "keep-alive"),
                Map.entry("sec-ch-ua", "\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\""),
                Map.entry("sec-ch-ua-mobile", "?0"),
                Map.entry("sec-ch-ua-platform", "\"Linux\""),
                Map.entry("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
                Map.entry("Accept", "application/json, text/plain, */*"),
                Map.entry("X-CSRF", "1"),
                Map.entry("Sec-Fetch-Site", "same-origin"),
                Map.entry("Sec-Fetch-Mode", "cors"),
                Map.entry("Sec-Fetch-Dest", "empty"),
                Map.entry("Referer", "https://app.example.com/dashboard"),
                Map.entry("Accept-Encoding", "gzip, deflate, br, zstd"),
                Map.entry("Accept-Language", "en-GB,en;q=0.9,de;q=0.8"),
                Map.entry("Cookie", cookieHeader));
    }

    /** A browser's Cookie header with analytics and preference cookies around the session cookie. */
    static String cookieHeader(String cookieName, String sessionValue) {
        return "_ga=GA1.1.1736254011.1733050000; theme=dark; " + cookieName + "=" + sessionValue
                + "; _ga_X1Y2Z3=GS1.1.1733050000.4.1.1733051234.0.0.0; consent=analytics%3Dno";
    }
}
