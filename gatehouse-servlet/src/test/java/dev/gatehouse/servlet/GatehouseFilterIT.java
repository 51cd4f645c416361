package dev.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.Auth;
import dev.gatehouse.core.Check;
import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.core.RequestState;
import dev.gatehouse.testing.TestIssuer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link GatehouseFilter} and its guards in a real Tomcat, with tokens from a {@link TestIssuer}. */
class GatehouseFilterIT {
    static TestIssuer issuer;
    static EmbeddedTomcat tomcat;
    static final AtomicInteger reached = new AtomicInteger();
    static final HttpClient http = HttpClient.newHttpClient();

    /** Answers with what the filter stored, so tests see the Auth the application sees. */
    static final class EchoServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            reached.incrementAndGet();
            Auth auth = GatehouseFilter.auth(request);
            RequestState state = GatehouseFilter.state(request);
            response.setContentType("text/plain");
            response.getWriter().write(state.status() + " user=" + auth.userId() + " org=" + auth.orgId() + " role=" + auth.orgRole()
                    + " reason=" + state.reason());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        issuer = TestIssuer.start();
        Gatehouse gatehouse = issuer.verifier("billing-api");
        Gatehouse unreachable = Gatehouse.builder().issuer(issuer.issuer()).audience("billing-api")
                .jwksUrl("http://127.0.0.1:" + closedPort() + "/.well-known/jwks.json").build();
        tomcat = new EmbeddedTomcat()
                .context("", c -> {
                    EmbeddedTomcat.filter(c, "gatehouse", new GatehouseFilter(gatehouse), "/*");
                    EmbeddedTomcat.filter(c, "signed-in", GatehouseFilter.requireAuth(), "/private/*");
                    EmbeddedTomcat.filter(c, "admins", GatehouseFilter.requireRole("admin"), "/admin/*");
                    EmbeddedTomcat.filter(c, "billing", GatehouseFilter.requirePermission("org:billing:read"), "/billing/*");
                    EmbeddedTomcat.filter(c, "staff", GatehouseFilter.requirement(Check.globalRole("staff").andRole("org:admin")), "/staff/*");
                    EmbeddedTomcat.servlet(c, "echo", new EchoServlet(), "/*");
                })
                .context("/down", c -> {
                    EmbeddedTomcat.filter(c, "gatehouse", new GatehouseFilter(unreachable), "/*");
                    EmbeddedTomcat.servlet(c, "echo", new EchoServlet(), "/*");
                })
                .context("/misordered", c -> {
                    EmbeddedTomcat.filter(c, "signed-in", GatehouseFilter.requireAuth(), "/*");
                    EmbeddedTomcat.filter(c, "gatehouse", new GatehouseFilter(gatehouse), "/*");
                    EmbeddedTomcat.servlet(c, "echo", new EchoServlet(), "/*");
                })
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
        issuer.close();
    }

    @BeforeEach
    void reset() {
        reached.set(0);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tomcat.url() + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String admin() {
        return issuer.token().subject("user_admin").audience("billing-api").roles("staff")
                .organization("org_1", "acme", "admin", "org:billing:read").sign();
    }

    private static String member() {
        return issuer.token().subject("user_member").audience("billing-api").organization("org_1", "acme", "member").sign();
    }

    @Test
    void aRequestWithoutTokenReachesOpenPathsSignedOut() throws Exception {
        HttpResponse<String> r = get("/public");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("signed-out user=null org=null role=null reason=session-token-missing");
    }

    @Test
    void theApplicationSeesTheAuthOfAValidToken() throws Exception {
        HttpResponse<String> r = get("/private/me", "Authorization", bearer(admin()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("signed-in user=user_admin org=org_1 role=org:admin reason=null");
    }

    @Test
    void theSessionCookieWorksLikeTheHeader() throws Exception {
        HttpResponse<String> r = get("/private/me", "Cookie", "theme=dark; __session=" + admin());
        assertThat(r.body()).startsWith("signed-in user=user_admin");
    }

    @Test
    void requireAuthWithoutATokenIs401WithABareBearerChallenge() throws Exception {
        // RFC 6750 §3.1: no error code when the request carried no credentials.
        HttpResponse<String> r = get("/private/me");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gatehouse\"");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.body()).contains("\"reason\":\"session-token-missing\"");
        assertThat(reached).hasValue(0);
    }

    @Test
    void requireAuthWithABadTokenIs401WithInvalidTokenAndTheReason() throws Exception {
        String expired = issuer.token().audience("billing-api").issuedAt(Instant.now().minusSeconds(3600)).sign();
        HttpResponse<String> r = get("/private/me", "Authorization", bearer(expired));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\"token-expired\"");
        assertThat(r.body()).contains("\"reason\":\"token-expired\"").doesNotContain(expired);
        HttpResponse<String> foreign = get("/private/me", "Authorization", bearer(issuer.token().audience("orders-api").sign()));
        assertThat(foreign.statusCode()).isEqualTo(401);
        assertThat(foreign.body()).contains("\"reason\":\"token-invalid-audience\"");
        assertThat(reached).hasValue(0);
    }

    @Test
    void requireRoleIs403ForAnotherRoleAnd401WhenSignedOut() throws Exception {
        HttpResponse<String> member = get("/admin/settings", "Authorization", bearer(member()));
        assertThat(member.statusCode()).isEqualTo(403);
        assertThat(member.body()).contains("\"reason\":\"forbidden\"");
        assertThat(member.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(get("/admin/settings").statusCode()).isEqualTo(401);
        assertThat(reached).hasValue(0);
        assertThat(get("/admin/settings", "Authorization", bearer(admin())).statusCode()).isEqualTo(200);
        assertThat(reached).hasValue(1);
    }

    @Test
    void requirePermissionIs403WithoutThePermissionOrWithoutAnOrganization() throws Exception {
        assertThat(get("/billing/invoices", "Authorization", bearer(admin())).statusCode()).isEqualTo(200);
        HttpResponse<String> member = get("/billing/invoices", "Authorization", bearer(member()));
        assertThat(member.statusCode()).isEqualTo(403);
        assertThat(member.body()).contains("\"reason\":\"forbidden\"");
        String noOrg = issuer.token().audience("billing-api").sign();
        assertThat(get("/billing/invoices", "Authorization", bearer(noOrg)).statusCode()).isEqualTo(403);
        assertThat(get("/billing/invoices", "Authorization", bearer("not.a.token")).statusCode()).isEqualTo(401);
        assertThat(reached).hasValue(1);
    }

    @Test
    void aCombinedRequirementNeedsEveryPart() throws Exception {
        assertThat(get("/staff/tools", "Authorization", bearer(admin())).statusCode()).isEqualTo(200);
        String adminNotStaff = issuer.token().audience("billing-api").organization("org_1", "acme", "admin").sign();
        assertThat(get("/staff/tools", "Authorization", bearer(adminNotStaff)).statusCode()).isEqualTo(403);
    }

    @Test
    void aGuardMappedBeforeTheGatehouseFilterFailsClosed() throws Exception {
        // With no stored state the guard cannot know the caller: it must refuse, not let the request through.
        HttpResponse<String> r = get("/misordered/anything", "Authorization", bearer(admin()));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(reached).hasValue(0);
    }

    @Test
    void unavailableKeysAre503NotASignOut() throws Exception {
        HttpResponse<String> r = get("/down/anything", "Authorization", bearer(admin()));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"reason\":\"jwk-remote-failed-to-load\"");
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(reached).hasValue(0);
        // Without a token no key is needed, so the open path still answers.
        assertThat(get("/down/anything").statusCode()).isEqualTo(200);
    }
}
