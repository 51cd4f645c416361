package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.Auth;
import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.server.config.GatewayConfig;
import dev.gatehouse.server.keys.FileSigningKeyStore;
import dev.gatehouse.server.keys.SigningKeys;
import dev.gatehouse.servlet.GatehouseFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK against the real gateway: a servlet application behind Gatehouse verifies, with gatehouse-servlet, the
 * per-service tokens the gateway mints for it, using nothing but the gateway's issuer URL and published JWKS.
 */
class SdkAgainstGatewayIT {
    static final String TEMPLATES = String.join("\n",
            "token_templates:",
            "  billing:",
            "    audience: billing-api",
            "    claims: {email: '{{user.email}}'}",
            "  orders:",
            "    audience: orders-api");
    static final HttpClient http = HttpClient.newHttpClient();
    static BillingApp app;
    static GatewayHarness h;

    /** The billing service: Tomcat on port 0, GatehouseFilter + requirePermission("org:billing:read"). */
    static final class BillingApp implements AutoCloseable {
        final Tomcat tomcat = new Tomcat();
        final Connector connector = new Connector();
        /** The SDK configuration, replaceable so each test controls its own clock. */
        final AtomicReference<GatehouseFilter> sdk = new AtomicReference<>();
        final AtomicReference<String> lastToken = new AtomicReference<>();

        BillingApp() throws Exception {
            tomcat.setBaseDir(Files.createTempDirectory("billing-app").toString());
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            Context ctx = tomcat.addContext("", null);
            filter(ctx, "gatehouse", (request, response, chain) -> {
                String authorization = ((HttpServletRequest) request).getHeader("Authorization");
                if (authorization != null && authorization.startsWith("Bearer ")) {
                    lastToken.set(authorization.substring(7));
                }
                sdk.get().doFilter(request, response, chain);
            });
            filter(ctx, "billing-read", GatehouseFilter.requirePermission("org:billing:read"));
            Tomcat.addServlet(ctx, "invoices", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    Auth auth = GatehouseFilter.auth(request);
                    response.setContentType("application/json");
                    response.getWriter().write("{\"user\":\"" + auth.userId() + "\",\"org\":\"" + auth.orgId() + "\",\"email\":\""
                            + auth.claims().get("email") + "\"}");
                }
            });
            ctx.addServletMappingDecoded("/*", "invoices");
            tomcat.start();
        }

        private static void filter(Context ctx, String name, Filter filter) {
            FilterDef def = new FilterDef();
            def.setFilterName(name);
            def.setFilter(filter);
            ctx.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName(name);
            map.addURLPattern("/*");
            ctx.addFilterMap(map);
        }

        String url() {
            return "http://127.0.0.1:" + connector.getLocalPort();
        }

        /** Verifies tokens from {@code issuer} with the keys at {@code jwksBase}'s JWKS, on the given clock. */
        void trust(String issuer, String jwksBase, MutableClock clock) {
            sdk.set(new GatehouseFilter(Gatehouse.builder().issuer(issuer).audience("billing-api")
                    .jwksUrl(jwksBase + "/.well-known/jwks.json").clock(clock).build()));
        }

        /** Sends a token straight to the app, as an attacker replaying a captured token would. */
        HttpResponse<String> replay(String token) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url() + "/invoices")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws Exception {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    static GatewayHarness gateway(Path keyFile) throws Exception {
        GatewayHarness.Builder b = GatewayHarness.builder().yaml(TEMPLATES).routes(String.join("\n",
                "  - {match: /api/billing/**, upstream: '" + app.url() + "', strip_prefix: /api/billing, access: authenticated, token: {template: billing}}",
                "  - {match: /api/orders/**, upstream: '" + app.url() + "', strip_prefix: /api/orders, access: authenticated, token: {template: orders}}",
                "  - {match: /**, upstream: %SPA%, access: public}"));
        return (keyFile == null ? b : b.keyFile(keyFile)).start();
    }

    @BeforeAll
    static void start() throws Exception {
        app = new BillingApp();
        h = gateway(null);
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
        app.close();
    }

    @Test
    void theAppAcceptsTheTokenMintedForItAndRefusesItOnceExpired() throws Exception {
        // The contract of per-service tokens: the service needs only the issuer URL and the JWKS to trust them, and
        // a captured token stops working at its expiry.
        MutableClock appClock = new MutableClock(h.clock.instant());
        app.trust(h.baseUrl(), h.baseUrl(), appClock);
        Browser alice = h.user("alice").organization("acme", "org:admin", "org:billing:read").signIn();
        Browser.Response r = alice.get("/api/billing/invoices");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"user\":\"alice\",\"org\":\"acme\",\"email\":\"alice@example.com\"}");
        String token = app.lastToken.get();
        assertThat(app.replay(token).statusCode()).isEqualTo(200);
        long lifetime = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant().getEpochSecond() - appClock.instant().getEpochSecond();
        appClock.advance(Duration.ofSeconds(lifetime + 5));
        HttpResponse<String> expired = app.replay(token);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\"token-expired\"");
        assertThat(expired.body()).contains("\"reason\":\"token-expired\"");
    }

    @Test
    void theAppRefusesATokenTheGatewayMintedForAnotherService() throws Exception {
        // A token made for orders-api must not open billing-api, even from the same gateway and signing key.
        app.trust(h.baseUrl(), h.baseUrl(), new MutableClock(h.clock.instant()));
        Browser bob = h.user("bob").organization("acme", "org:admin", "org:billing:read").signIn();
        Browser.Response r = bob.get("/api/orders/invoices");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("\"reason\":\"token-invalid-audience\"");
        assertThat(SignedJWT.parse(app.lastToken.get()).getJWTClaimsSet().getAudience()).containsExactly("orders-api");
    }

    @Test
    void theAppRefusesAMemberWithoutThePermissionWith403() throws Exception {
        // Authorization stays the service's own decision: the gateway's route only asks for a signed-in user.
        app.trust(h.baseUrl(), h.baseUrl(), new MutableClock(h.clock.instant()));
        Browser carol = h.user("carol").organization("acme", "org:member").signIn();
        Browser.Response r = carol.get("/api/billing/invoices");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("\"reason\":\"forbidden\"");
    }

    @Test
    void theAppRefusesATokenSignedByAKeyTheGatewayHasRetired() throws Exception {
        // After rotation plus overlap the old key leaves the JWKS; tokens it signed must stop verifying everywhere.
        Path keyFile = Files.createTempDirectory("gatehouse-keys").resolve("signing-keys.json");
        String token;
        String oldIssuer;
        Instant mintedAt;
        try (GatewayHarness first = gateway(keyFile)) {
            app.trust(first.baseUrl(), first.baseUrl(), new MutableClock(first.clock.instant()));
            Browser dave = first.user("dave").organization("acme", "org:admin", "org:billing:read").signIn();
            assertThat(dave.get("/api/billing/invoices").status()).isEqualTo(200);
            token = app.lastToken.get();
            oldIssuer = first.baseUrl();
            mintedAt = first.clock.instant();
        }
        String oldKid = SignedJWT.parse(token).getHeader().getKeyID();

        // Time passes for the key store: the gateway's own rotation logic, on a clock moved past rotation and overlap.
        MutableClock later = new MutableClock(Instant.now());
        SigningKeys keys = new SigningKeys(new FileSigningKeyStore(keyFile), GatewayConfig.Algorithm.ES256, Duration.ofDays(30),
                Duration.ofSeconds(60), later).start();
        later.advance(Duration.ofDays(30).plusSeconds(1));
        keys.rotateIfDue();
        assertThat(keys.publishedKeyIds()).contains(oldKid).hasSize(2);
        later.advance(Duration.ofMinutes(7));
        keys.rotateIfDue();
        assertThat(keys.publishedKeyIds()).doesNotContain(oldKid).hasSize(1);

        try (GatewayHarness restarted = gateway(keyFile)) {
            JWKSet published = JWKSet.parse(restarted.browser().get("/.well-known/jwks.json").body());
            assertThat(published.getKeys()).extracting(k -> k.getKeyID()).containsExactlyElementsOf(keys.publishedKeyIds());
            // In production the gateway keeps its public URL across restarts; here only its port changed, so the app
            // keeps the first issuer URL and reads the restarted gateway's JWKS.
            app.trust(oldIssuer, restarted.baseUrl(), new MutableClock(mintedAt));
            HttpResponse<String> r = app.replay(token);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("\"reason\":\"jwk-kid-mismatch\"");
        }
    }
}
