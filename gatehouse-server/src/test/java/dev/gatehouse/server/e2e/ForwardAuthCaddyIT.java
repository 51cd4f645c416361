package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debian's real Caddy 2.6.2, running the {@code caddyfile} of {@code docs/forwardauth.md} as printed, in front
 * of the harness's {@code api} upstream: {@code forward_auth} to Gatehouse with {@code copy_headers}, then
 * {@code reverse_proxy}. Caddy passes Gatehouse's non-2xx answers through unchanged, so this world runs with
 * {@code forward_auth.redirect_navigations: true}.
 */
class ForwardAuthCaddyIT {
    private static final Path CADDY = Path.of("/usr/bin/caddy");
    static EdgeWorld world;

    @BeforeAll
    static void start() throws Exception {
        EdgeProcess.assumeInstalled(CADDY, "ForwardAuthCaddyIT", "caddy");
        world = EdgeWorld.start("caddy", "forward_auth: {redirect_navigations: true}", ForwardAuthCaddyIT::startCaddy);
    }

    @AfterAll
    static void stop() throws Exception {
        if (world != null) {
            world.close();
        }
    }

    // Caddy 2.6.2 writes its state under HOME and the XDG directories, so they point into the temp directory.
    private static EdgeProcess startCaddy(Path dir, int port, GatewayHarness h) throws Exception {
        String caddyfile = ForwardAuthDoc.render(ForwardAuthDoc.block("caddyfile"),
                Map.of("GATEHOUSE_PORT", h.gateway.port(), "UPSTREAM_PORT", h.api.port(), "LISTEN_PORT", port));
        Path file = Files.writeString(dir.resolve("Caddyfile"), caddyfile);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path config = Files.createDirectories(dir.resolve("config"));
        return EdgeProcess.start("caddy", dir, port,
                Map.of("HOME", dir.toString(), "XDG_DATA_HOME", data.toString(), "XDG_CONFIG_HOME", config.toString()),
                List.of(CADDY.toString(), "run", "--config", file.toString(), "--adapter", "caddyfile"));
    }

    @BeforeEach
    void clearUpstream() {
        world.h.api.clear();
    }

    @AfterEach
    void noTokenReachedABrowserThroughCaddy() {
        // Caddy hands Gatehouse's refusals to the browser as they are; none of them may carry a token.
        assertThat(world.leaks()).isEmpty();
    }

    @Test
    void navigationWithoutSessionGetsGatehousesRedirectAndFetchGets401() {
        // Caddy passes a 302 through, so with the switch on a navigation goes straight to sign in, while a
        // fetch() still gets a 401 naming the login URL; nothing reaches the service.
        Browser anonymous = world.browser();
        String login = world.edge.url() + "/auth/login?returnTo=" + URLEncoder.encode("/api/orders/7?x=1", StandardCharsets.UTF_8);
        Browser.Response navigation = anonymous.navigate("/api/orders/7?x=1");
        assertThat(navigation.status()).isEqualTo(302);
        assertThat(navigation.location()).isEqualTo(login);
        Browser.Response fetch = anonymous.get("/api/orders/7?x=1");
        assertThat(fetch.status()).isEqualTo(401);
        assertThat(fetch.header("X-Auth-Login-Url")).contains(login);
        assertThat(fetch.body()).contains("\"reason\":\"signed_out\"");
        assertThat(world.h.api.count()).isZero();
    }

    @Test
    void signInThroughCaddyThenTheUpstreamReceivesTheMintedTokenAndUserId() throws Exception {
        // The documented deployment end to end; the request carries a query string, which Caddy also appends to
        // /auth/verify, and the service still gets the token made for it, the user id, and no session cookie.
        Browser bob = world.browser();
        world.h.user("bob").organization("acme", "org:admin", "org:billing:read").enqueue();
        Browser.Response end = bob.navigateFollowing("/api/billing/invoices?page=2");
        assertThat(end.status()).isEqualTo(200);
        assertThat(end.uri().toString()).isEqualTo(world.edge.url() + "/api/billing/invoices?page=2");

        EchoUpstream.Seen seen = world.h.api.last();
        assertThat(seen.uri()).isEqualTo("/api/billing/invoices?page=2");
        assertThat(seen.header("x-auth-user-id")).isEqualTo("bob");
        assertThat(seen.header("cookie")).isNull();
        assertThat(seen.header("authorization")).startsWith("Bearer ");
        SignedJWT token = SignedJWT.parse(seen.header("authorization").substring(7));
        JWKSet keys = JWKSet.parse(bob.get("/.well-known/jwks.json").body());
        assertThat(token.verify(new ECDSAVerifier((ECKey) keys.getKeyByKeyId(token.getHeader().getKeyID())))).isTrue();
        JWTClaimsSet claims = token.getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(EdgeWorld.AUDIENCE);
        assertThat(claims.getSubject()).isEqualTo("bob");
        assertThat(claims.getIssuer()).isEqualTo(world.edge.url());

        Browser.Response session = bob.get("/api/auth/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body()).contains("bob@example.com");
    }

    @Test
    void cookieFromSigningInAtTheGatewayWorksThroughCaddy() {
        // Cookies belong to a host, not a port: the session made by Gatehouse is the one Caddy forwards to
        // /auth/verify, so a fetch through the edge reaches the service with the user's minted token.
        Browser alice = world.h.signInAs("alice");
        Browser viaCaddy = world.browser();
        viaCaddy.setCookie(world.h.cookieName(), alice.cookie(world.h.cookieName()));
        Browser.Response r = viaCaddy.get("/api/orders/7");
        assertThat(r.status()).isEqualTo(200);
        EchoUpstream.Seen seen = world.h.api.last();
        assertThat(seen.header("x-auth-user-id")).isEqualTo("alice");
        assertThat(GatewayHarness.claims(seen.header("authorization").substring(7)))
                .containsEntry("sub", "alice").containsEntry("aud", List.of(EdgeWorld.AUDIENCE));
    }

    @Test
    void signedInWithoutThePermissionGets403AndTheServiceIsNotCalled() {
        // A refusal must reach the user as Gatehouse's 403 with its reason, even for a navigation (no redirect:
        // signing in again would not help).
        Browser carol = world.browser();
        world.h.user("carol").organization("acme", "org:member").signIn(carol);
        world.h.api.clear();
        Browser.Response r = carol.get("/api/billing/invoices");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Auth-Reason")).contains("missing_permission");
        assertThat(carol.navigate("/api/billing/invoices").status()).isEqualTo(403);
        assertThat(world.h.api.count()).isZero();
    }

    @Test
    void postThroughCaddyNeedsTheCsrfHeader() {
        // Caddy's auth request is a GET; X-Forwarded-Method carries the browser's POST to the CSRF check.
        Browser dave = world.browser();
        world.h.user("dave").signIn(dave);
        world.h.api.clear();
        Browser.Response forged = dave.fetch("POST", "/api/orders", "{\"item\":1}");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.header("X-Auth-Reason")).contains("csrf_failed");
        assertThat(world.h.api.count()).isZero();
        Browser.Response fromTheApp = dave.post("/api/orders", "{\"item\":1}");
        assertThat(fromTheApp.status()).isEqualTo(200);
        assertThat(world.h.api.last().method()).isEqualTo("POST");
        assertThat(world.h.api.last().bodyBytes()).isEqualTo(10);
    }

    @Test
    void browserCannotAskForTheTokenNorSmuggleItsOwnIdentity() {
        // The verify answer carries the per-service token, so the edge hides it; identity headers and a token
        // sent by the client never reach the service, including through Caddy 2.6.2's copy_headers quirk.
        Browser erin = world.browser();
        world.h.user("erin").signIn(erin);
        world.h.api.clear();
        for (String path : List.of("/auth/verify", "/auth/forward")) {
            Browser.Response r = erin.get(path, "X-Forwarded-Uri", "/api/orders/7");
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("authorization")).as(path).isEmpty();
        }
        Browser.Response spoof = erin.get("/api/public/hello", "X-Auth-User-Id", "admin", "Authorization", "Bearer forged");
        assertThat(spoof.status()).isEqualTo(200);
        EchoUpstream.Seen seen = world.h.api.last();
        assertThat(seen.header("x-auth-user-id")).isNull();
        assertThat(seen.header("authorization")).isNull();
        assertThat(seen.header("cookie")).isNull();
        Browser.Response asErin = erin.get("/api/orders/7", "X-Auth-User-Id", "admin", "Authorization", "Bearer forged");
        assertThat(asErin.status()).isEqualTo(200);
        assertThat(world.h.api.last().header("x-auth-user-id")).isEqualTo("erin");
        assertThat(GatewayHarness.claims(world.h.api.last().header("authorization").substring(7))).containsEntry("sub", "erin");
        assertThat(world.h.api.count()).isEqualTo(2);
    }
}
