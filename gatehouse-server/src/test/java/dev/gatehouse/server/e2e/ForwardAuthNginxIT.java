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
 * Debian's real nginx, running the {@code nginx} config of {@code docs/forwardauth.md} as printed, in front of
 * the harness's {@code api} upstream: {@code auth_request} to Gatehouse's {@code /auth/verify}, the minted
 * {@code Authorization} and {@code X-Auth-User-Id} copied onto the upstream request with
 * {@code auth_request_set}, and a 401 turned into the sign-in redirect by nginx itself.
 */
class ForwardAuthNginxIT {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    static EdgeWorld world;

    @BeforeAll
    static void start() throws Exception {
        EdgeProcess.assumeInstalled(NGINX, "ForwardAuthNginxIT", "nginx");
        world = EdgeWorld.start("nginx", "", ForwardAuthNginxIT::startNginx);
    }

    @AfterAll
    static void stop() throws Exception {
        if (world != null) {
            world.close();
        }
    }

    // The documented config goes in the http context; around it, only what a test run needs: nginx in the
    // foreground (so the process we hold is its master), and every file it writes inside the temp directory.
    private static EdgeProcess startNginx(Path dir, int port, GatewayHarness h) throws Exception {
        String site = ForwardAuthDoc.render(ForwardAuthDoc.block("nginx"),
                Map.of("GATEHOUSE_PORT", h.gateway.port(), "UPSTREAM_PORT", h.api.port(), "LISTEN_PORT", port));
        Files.writeString(dir.resolve("gatehouse.conf"), site);
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "daemon off;",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " info;",
                "events { worker_connections 256; }",
                "http {",
                "    access_log " + dir.resolve("access.log") + ";",
                "    client_body_temp_path " + dir.resolve("client_body") + ";",
                "    proxy_temp_path " + dir.resolve("proxy_temp") + ";",
                "    fastcgi_temp_path " + dir.resolve("fastcgi_temp") + ";",
                "    uwsgi_temp_path " + dir.resolve("uwsgi_temp") + ";",
                "    scgi_temp_path " + dir.resolve("scgi_temp") + ";",
                "    include " + dir.resolve("gatehouse.conf") + ";",
                "}",
                ""));
        return EdgeProcess.start("nginx", dir, port, Map.of(), List.of(NGINX.toString(), "-p", dir + "/",
                "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString()));
    }

    @BeforeEach
    void clearUpstream() {
        world.h.api.clear();
    }

    @AfterEach
    void nginxAcceptedEveryAnswerOfGatehouse() {
        // A 302 (or any status but 2xx, 401, 403) from the auth subrequest is a 500 to the user and this line in
        // nginx's log; Gatehouse must never cause it.
        assertThat(errorLog()).doesNotContain("unexpected status");
        assertThat(world.leaks()).isEmpty();
    }

    @Test
    void navigationWithoutSessionIsRedirectedToSignInAndFetchGets401() {
        // The edge, not Gatehouse, makes the redirect (nginx cannot pass one through); API calls get a 401 that
        // names the login URL, and nothing reaches the service.
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
    void signInThroughNginxThenTheUpstreamReceivesTheMintedTokenAndUserId() throws Exception {
        // The whole deployment as documented: a navigation is sent to sign in on the edge's host, comes back
        // signed in, and the service receives a token made for it (verifiable with the JWKS the edge serves),
        // the user id, and never the session cookie.
        Browser bob = world.browser();
        world.h.user("bob").organization("acme", "org:admin", "org:billing:read").enqueue();
        Browser.Response end = bob.navigateFollowing("/api/billing/invoices?page=2");
        assertThat(end.status()).isEqualTo(200);
        assertThat(end.uri().toString()).isEqualTo(world.edge.url() + "/api/billing/invoices?page=2");
        assertThat(bob.cookie(world.h.cookieName())).isNotNull();

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

        // Gatehouse's own JSON is served on the edge's host too.
        Browser.Response session = bob.get("/api/auth/session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body()).contains("bob@example.com");
    }

    @Test
    void cookieFromSigningInAtTheGatewayWorksThroughNginx() {
        // Cookies belong to a host, not a port: the session made by Gatehouse is the one nginx's auth request
        // presents, so a fetch through the edge reaches the service with the user's minted token.
        Browser alice = world.h.signInAs("alice");
        Browser viaNginx = world.browser();
        viaNginx.setCookie(world.h.cookieName(), alice.cookie(world.h.cookieName()));
        Browser.Response r = viaNginx.get("/api/orders/7");
        assertThat(r.status()).isEqualTo(200);
        EchoUpstream.Seen seen = world.h.api.last();
        assertThat(seen.header("x-auth-user-id")).isEqualTo("alice");
        assertThat(GatewayHarness.claims(seen.header("authorization").substring(7)))
                .containsEntry("sub", "alice").containsEntry("aud", List.of(EdgeWorld.AUDIENCE));
    }

    @Test
    void signedInWithoutThePermissionGets403AndTheServiceIsNotCalled() {
        // nginx must show Gatehouse's refusal as a 403 with its reason, not as a sign-in loop or a 500.
        Browser carol = world.browser();
        world.h.user("carol").organization("acme", "org:member").signIn(carol);
        world.h.api.clear();
        Browser.Response r = carol.get("/api/billing/invoices");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("\"reason\":\"missing_permission\"");
        assertThat(carol.navigate("/api/billing/invoices").status()).isEqualTo(403);
        assertThat(world.h.api.count()).isZero();
    }

    @Test
    void postThroughNginxNeedsTheCsrfHeader() {
        // nginx's auth subrequest is always a GET; X-Forwarded-Method is what lets Gatehouse apply the CSRF check
        // to the POST the browser actually made.
        Browser dave = world.browser();
        world.h.user("dave").signIn(dave);
        world.h.api.clear();
        Browser.Response forged = dave.fetch("POST", "/api/orders", "{\"item\":1}");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("\"reason\":\"csrf_failed\"");
        assertThat(world.h.api.count()).isZero();
        Browser.Response fromTheApp = dave.post("/api/orders", "{\"item\":1}");
        assertThat(fromTheApp.status()).isEqualTo(200);
        assertThat(world.h.api.last().method()).isEqualTo("POST");
        assertThat(world.h.api.last().bodyBytes()).isEqualTo(10);
    }

    @Test
    void browserCannotAskForTheTokenNorSmuggleItsOwnIdentity() {
        // The verify answer carries the per-service token, so the edge hides it; and identity headers or a
        // token sent by the client never reach the service: only Gatehouse's do.
        Browser erin = world.browser();
        world.h.user("erin").signIn(erin);
        world.h.api.clear();
        for (String path : List.of("/auth/verify", "/auth/forward")) {
            Browser.Response r = erin.get(path, "X-Forwarded-Uri", "/api/orders/7");
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("authorization")).as(path).isEmpty();
        }
        // nginx drops header names with "_" or "." (ignore_invalid_headers), which CGI-style frameworks would
        // read as X-Auth-User-Id (the alias spoofing of Traefik GHSA-x677-9fxg-v5c5 and GHSA-rf44-j88r-hh8c).
        Browser.Response spoof = erin.get("/api/public/hello", "X-Auth-User-Id", "admin", "Authorization", "Bearer forged",
                "X_Auth_User_Id", "admin", "X.Auth.User.Id", "admin");
        assertThat(spoof.status()).isEqualTo(200);
        EchoUpstream.Seen seen = world.h.api.last();
        assertThat(seen.headers().names()).noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).replaceAll("[_.]", "-")
                .equals("x-auth-user-id"));
        assertThat(seen.header("authorization")).isNull();
        assertThat(seen.header("cookie")).isNull();
        Browser.Response asErin = erin.get("/api/orders/7", "X-Auth-User-Id", "admin", "Authorization", "Bearer forged");
        assertThat(asErin.status()).isEqualTo(200);
        assertThat(world.h.api.last().header("x-auth-user-id")).isEqualTo("erin");
        assertThat(GatewayHarness.claims(world.h.api.last().header("authorization").substring(7))).containsEntry("sub", "erin");
        assertThat(world.h.api.count()).isEqualTo(2);
    }

    private static String errorLog() {
        return EdgeProcess.readQuietly(world.dir.resolve("error.log"));
    }
}
