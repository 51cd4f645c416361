package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /auth/verify} called as an edge calls it: straight HTTP from 127.0.0.1 (a trusted proxy by default)
 * with {@code X-Forwarded-*} headers describing the original request. These answers go to the edge, not to a
 * browser, so they are sent with a plain client and kept out of the harness's browser response log.
 */
class ForwardAuthIT {
    private static final HttpClient EDGE = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    static final String TEMPLATES = String.join("\n",
            "token_templates:",
            "  billing:",
            "    audience: billing-api",
            "    claims: {email: '{{user.email}}'}",
            "  mobile:",
            "    audience: mobile-api",
            "    claims: {email: '{{user.email}}'}");
    static final String ROUTES = String.join("\n",
            "  - {match: /api/public/**, upstream: %API%, access: public}",
            "  - {match: /api/billing/**, upstream: %API%, access: authenticated, require: {permissions: [org:billing:read]}, token: {template: billing}}",
            "  - {match: /api/orders/**, upstream: %API%, access: authenticated}",
            "  - {match: /api/mobile/**, upstream: %API%, access: authenticated, bearer: true, token: {template: mobile}}",
            "  - {match: /api/tenant/**, host: tenant.example.com, upstream: %API%, access: authenticated, token: {template: billing}}");

    static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = world("");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private static GatewayHarness world(String forwardAuthYaml) throws Exception {
        return GatewayHarness.builder().yaml(TEMPLATES + "\n" + forwardAuthYaml).routes(ROUTES).start();
    }

    @Test
    void signedInMemberGetsIdentityHeadersAndATokenMintedForTheRoute() throws Exception {
        // The edge can only pass on what /auth/verify tells it: who the user is, in which organization, and the
        // token made for this service alone.
        Browser bob = h.user("bob").organization("acme", "org:admin", "org:billing:read").signIn();
        HttpResponse<String> r = verify(h, "/auth/verify", "GET", "/api/billing/invoices?page=2", "Cookie", cookie(bob));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "X-Auth-User-Id")).isEqualTo("bob");
        assertThat(header(r, "X-Auth-User-Email")).isEqualTo("bob@example.com");
        assertThat(header(r, "X-Auth-Org-Id")).isEqualTo("acme");
        assertThat(header(r, "X-Auth-Org-Role")).isEqualTo("org:admin");
        SignedJWT token = SignedJWT.parse(bearer(r));
        JWKSet keys = JWKSet.parse(h.browser().get("/.well-known/jwks.json").body());
        assertThat(token.verify(new ECDSAVerifier((ECKey) keys.getKeyByKeyId(token.getHeader().getKeyID())))).isTrue();
        JWTClaimsSet claims = token.getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("billing-api");
        assertThat(claims.getSubject()).isEqualTo("bob");
        assertThat(claims.getIssuer()).isEqualTo(h.baseUrl());
        assertThat(claims.getJSONObjectClaim("org")).containsEntry("id", "acme");
    }

    @Test
    void noSessionGets401WithTheLoginUrlForTheForwardedUri() throws Exception {
        // nginx turns a 302 from its auth subrequest into a 500, so "sign in" must be a 401 that names where to
        // go, even for a browser navigation, while redirect_navigations is off.
        HttpResponse<String> r = verify(h, "/auth/verify", "GET", "/api/billing/invoices?page=2",
                "Accept", "text/html", "Sec-Fetch-Mode", "navigate");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(header(r, "X-Auth-Login-Url")).isEqualTo(h.baseUrl() + "/auth/login?returnTo="
                + URLEncoder.encode("/api/billing/invoices?page=2", StandardCharsets.UTF_8));
        assertThat(header(r, "X-Auth-Reason")).isEqualTo("signed_out");
        assertThat(header(r, "Authorization")).isNull();
        assertThat(header(r, "Location")).isNull();
    }

    @Test
    void signedInUserWithoutThePermissionGets403MissingPermission() throws Exception {
        // "Signed in but not allowed" must stay apart from "sign in": a login redirect would loop forever.
        Browser alice = h.user("alice").organization("acme", "org:member").signIn();
        HttpResponse<String> r = verify(h, "/auth/verify", "GET", "/api/billing/invoices", "Cookie", cookie(alice));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(header(r, "X-Auth-Reason")).isEqualTo("missing_permission");
        assertThat(header(r, "Authorization")).isNull();
        assertThat(header(r, "X-Auth-Login-Url")).isNull();
    }

    @Test
    void forwardIsAnAliasOfVerify() throws Exception {
        // Edges' examples use either name; both must give the same decision and token.
        Browser bob = h.user("bob").organization("acme", "org:admin", "org:billing:read").signIn();
        HttpResponse<String> r = verify(h, "/auth/forward", "GET", "/api/billing/invoices", "Cookie", cookie(bob));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "X-Auth-User-Id")).isEqualTo("bob");
        assertThat(GatewayHarness.claims(bearer(r))).containsEntry("sub", "bob");
        assertThat(verify(h, "/auth/forward", "GET", "/api/billing/invoices").statusCode()).isEqualTo(401);
    }

    @Test
    void unknownQueryParametersOnVerifyAreIgnored() throws Exception {
        // Caddy appends the original query string to the verify URI; it must neither break the answer nor steer
        // the decision or the login URL.
        Browser bob = h.user("bob").organization("acme", "org:admin", "org:billing:read").signIn();
        HttpResponse<String> ok = verify(h, "/auth/verify?x=1&uri=/api/public/x", "GET", "/api/billing/invoices", "Cookie", cookie(bob));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(header(ok, "X-Auth-User-Id")).isEqualTo("bob");
        HttpResponse<String> anonymous = verify(h, "/auth/verify?x=1&returnTo=https://evil.example", "GET", "/api/orders/7");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(header(anonymous, "X-Auth-Login-Url")).isEqualTo(h.baseUrl() + "/auth/login?returnTo=%2Fapi%2Forders%2F7");
    }

    @Test
    void traversalInTheForwardedUriIsRefusedNeverAllowed() throws Exception {
        // The rule must judge the path the upstream will see: a public prefix followed by a climb into a
        // protected route is refused outright (checklist §7 test 8).
        for (String uri : List.of("/api/public/../billing/invoices", "/api/public/%2e%2e/billing/invoices",
                "/api/public/%2E%2E/billing/invoices", "/api/public%2f..%2fbilling/invoices", "/api/public/..;/billing/invoices",
                "/api/public/./x", "/api/public//x", "/api/public\\..\\billing/invoices")) {
            HttpResponse<String> r = verify(h, "/auth/verify", "GET", uri);
            assertThat(r.statusCode()).as(uri).isEqualTo(403);
            assertThat(header(r, "X-Auth-Reason")).as(uri).isEqualTo("bad_path");
        }
    }

    @Test
    void queryAndFragmentCannotMakeAProtectedPathPublic() throws Exception {
        // A rule matched against the whole URI would let "?/api/public" or "#/api/public" through
        // (oauth2-proxy CVE-2025-54576, CVE-2026-41059); only the path counts, after decoding unreserved characters.
        for (String uri : List.of("/api/billing/invoices?/api/public/x", "/api/billing/invoices?next=/api/public/x",
                "/api/billing/invoices#/api/public/x", "/api/%62illing/invoices")) {
            HttpResponse<String> r = verify(h, "/auth/verify", "GET", uri);
            assertThat(r.statusCode()).as(uri).isEqualTo(401);
            assertThat(header(r, "Authorization")).as(uri).isNull();
        }
        assertThat(verify(h, "/auth/verify", "GET", "/api/public/x?/api/billing/invoices").statusCode()).isEqualTo(200);
    }

    @Test
    void headersOtherGatewaysTrustDoNotChangeTheDecision() throws Exception {
        // X-Forwarded-Prefix (Traefik CVE-2026-35051) and health-checker User-Agents (oauth2-proxy CVE-2026-34457)
        // have opened protected paths elsewhere; here only method, host and URI count.
        for (String[] extra : List.of(new String[] {"X-Forwarded-Prefix", "/api/public"},
                new String[] {"User-Agent", "kube-probe/1.29"}, new String[] {"User-Agent", "ELB-HealthChecker/2.0"})) {
            HttpResponse<String> r = verify(h, "/auth/verify", "GET", "/api/billing/invoices", extra);
            assertThat(r.statusCode()).as(extra[0] + ": " + extra[1]).isEqualTo(401);
            assertThat(header(r, "Authorization")).isNull();
        }
    }

    @Test
    void forwardedHostThatNoRouteServesIsRefusedWithoutAToken() throws Exception {
        // C-24: a route bound to a host must not answer for another host, and nothing is minted for it.
        Browser bob = h.user("bob").organization("acme", "org:admin", "org:billing:read").signIn();
        HttpResponse<String> tenant = verifyOnHost(h, "tenant.example.com", "/api/tenant/1", "Cookie", cookie(bob));
        assertThat(tenant.statusCode()).isEqualTo(200);
        assertThat(bearer(tenant)).isNotNull();
        HttpResponse<String> other = verifyOnHost(h, "evil.example.com", "/api/tenant/1", "Cookie", cookie(bob));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(header(other, "X-Auth-Reason")).isEqualTo("not_found");
        assertThat(header(other, "Authorization")).isNull();
        assertThat(header(other, "X-Auth-User-Id")).isNull();
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreRefusedAndNothingIsMinted() throws Exception {
        // A client that reaches /auth/verify directly could claim any X-Forwarded-Uri (oauth2-proxy
        // CVE-2026-40575); only configured proxies are believed, so 127.0.0.1 outside the list gets a refusal.
        try (GatewayHarness untrusted = world("forward_auth: {trusted_proxies: [10.9.9.9/32]}")) {
            Browser bob = untrusted.user("bob").organization("acme", "org:admin", "org:billing:read").signIn();
            for (String uri : List.of("/api/public/x", "/api/billing/invoices")) {
                HttpResponse<String> r = verify(untrusted, "/auth/verify", "GET", uri, "Cookie", cookie(bob));
                assertThat(r.statusCode()).as(uri).isEqualTo(403);
                assertThat(header(r, "X-Auth-Reason")).as(uri).isEqualTo("untrusted_proxy");
                assertThat(header(r, "Authorization")).as(uri).isNull();
                assertThat(header(r, "X-Auth-User-Id")).as(uri).isNull();
            }
        }
    }

    @Test
    void redirectSwitchSends302ToNavigationsAndStill401ToFetch() throws Exception {
        // Caddy and Traefik pass a 302 through, so navigations can be sent to sign in directly; a fetch() must
        // still get a 401 it can handle, never a redirect it cannot see.
        try (GatewayHarness redirecting = world("forward_auth: {redirect_navigations: true}")) {
            String login = redirecting.baseUrl() + "/auth/login?returnTo=" + URLEncoder.encode("/api/orders/7", StandardCharsets.UTF_8);
            HttpResponse<String> navigation = verify(redirecting, "/auth/verify", "GET", "/api/orders/7",
                    "Accept", "text/html,application/xhtml+xml", "Sec-Fetch-Mode", "navigate");
            assertThat(navigation.statusCode()).isEqualTo(302);
            assertThat(header(navigation, "Location")).isEqualTo(login);
            HttpResponse<String> fetch = verify(redirecting, "/auth/verify", "GET", "/api/orders/7",
                    "Accept", "application/json", "Sec-Fetch-Mode", "cors");
            assertThat(fetch.statusCode()).isEqualTo(401);
            assertThat(header(fetch, "X-Auth-Login-Url")).isEqualTo(login);
            assertThat(header(fetch, "Location")).isNull();
        }
    }

    @Test
    void stateChangingForwardedMethodWithTheCookieNeedsTheCsrfHeader() throws Exception {
        // The edge must not become a way around the CSRF defence: a cross-site form POST carries the cookie too.
        Browser bob = h.signInAs("bob");
        HttpResponse<String> forged = verify(h, "/auth/verify", "POST", "/api/orders/7", "Cookie", cookie(bob));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(header(forged, "X-Auth-Reason")).isEqualTo("csrf_failed");
        assertThat(header(forged, "X-Auth-User-Id")).isNull();
        HttpResponse<String> fromTheApp = verify(h, "/auth/verify", "POST", "/api/orders/7", "Cookie", cookie(bob), "X-CSRF", "1");
        assertThat(fromTheApp.statusCode()).isEqualTo(200);
        assertThat(header(fromTheApp, "X-Auth-User-Id")).isEqualTo("bob");
    }

    @Test
    void bearerRouteAcceptsAProviderAccessTokenAndAnswersWithAMintedOneInstead() throws Exception {
        // Mobile apps and scripts hold the provider's token; the service behind the edge must still get a token
        // made for it, never the provider's.
        String providerToken = providerToken("carol", GatewayHarness.CLIENT_ID);
        HttpResponse<String> r = verify(h, "/auth/verify", "GET", "/api/mobile/devices", "Authorization", "Bearer " + providerToken);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "X-Auth-User-Id")).isEqualTo("carol");
        String minted = bearer(r);
        assertThat(minted).isNotEqualTo(providerToken);
        Map<String, Object> claims = GatewayHarness.claims(minted);
        assertThat(claims).containsEntry("sub", "carol").containsEntry("iss", h.baseUrl());
        assertThat(claims.get("aud")).isEqualTo(List.of("mobile-api"));
    }

    @Test
    void bearerTokenWinsOverTheSessionCookie() throws Exception {
        // One request, two identities: the documented rule is that the Bearer token decides and the cookie is
        // ignored, so a script never acts as whichever browser session happens to be around.
        Browser bob = h.signInAs("bob");
        HttpResponse<String> r = verify(h, "/auth/verify", "GET", "/api/mobile/devices", "Cookie", cookie(bob),
                "Authorization", "Bearer " + providerToken("carol", GatewayHarness.CLIENT_ID));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "X-Auth-User-Id")).isEqualTo("carol");
        assertThat(GatewayHarness.claims(bearer(r))).containsEntry("sub", "carol");
        assertThat(verify(h, "/auth/verify", "GET", "/api/mobile/devices", "Cookie", cookie(bob)).headers()
                .firstValue("X-Auth-User-Id")).contains("bob");
    }

    @Test
    void invalidBearerTokenIs401EvenWithAValidCookie() throws Exception {
        // A rejected Bearer token must not fall back to the cookie: that would turn "bad token" into "signed in
        // as someone else".
        Browser bob = h.signInAs("bob");
        for (String bad : List.of(providerToken("carol", "some-other-client"), "not-a-jwt")) {
            HttpResponse<String> r = verify(h, "/auth/verify", "GET", "/api/mobile/devices", "Cookie", cookie(bob), "Authorization", "Bearer " + bad);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(header(r, "X-Auth-Reason")).isEqualTo("token_invalid");
            assertThat(header(r, "X-Auth-User-Id")).isNull();
            assertThat(header(r, "Authorization")).isNull();
        }
    }

    @Test
    void documentedGatehouseAndTraefikConfigsAreValid() throws Exception {
        // The docs' gatehouse.yaml must load as printed, and the untested Traefik file must at least be the YAML
        // it claims to be, with the verify address and the token header in it.
        GatewayConfig config = new ConfigLoader(name -> name.equals("OIDC_CLIENT_SECRET") ? "from-the-environment" : null)
                .parse(ForwardAuthDoc.block("yaml gatehouse"));
        assertThat(config.forwardAuth().trustedProxies()).containsExactly("127.0.0.1/32", "::1/128");
        assertThat(config.forwardAuth().redirectNavigations()).isFalse();
        JsonNode traefik = new ObjectMapper(new YAMLFactory()).readTree(ForwardAuthDoc.block("yaml traefik"));
        JsonNode forwardAuth = traefik.at("/http/middlewares/gatehouse-auth/forwardAuth");
        assertThat(forwardAuth.get("address").asText()).endsWith("/auth/verify");
        assertThat(forwardAuth.get("trustForwardHeader").asBoolean()).isFalse();
        assertThat(forwardAuth.get("authResponseHeaders").toString()).contains("\"Authorization\"", "\"X-Auth-User-Id\"");
    }

    private static String providerToken(String subject, String audience) {
        return h.provider.issueToken(GatewayHarness.ISSUER_ID, subject, audience, Map.of("email", subject + "@example.com"), 300L)
                .serialize();
    }

    static String cookie(Browser b) {
        return "gatehouse=" + b.cookie("gatehouse");
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /** The token of the {@code Authorization: Bearer} header Gatehouse answered with, or null. */
    static String bearer(HttpResponse<?> r) {
        String auth = header(r, "Authorization");
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    }

    private static HttpResponse<String> verify(GatewayHarness world, String endpoint, String method, String uri, String... headers)
            throws IOException, InterruptedException {
        return send(world, endpoint, "app.example.com", method, uri, headers);
    }

    private static HttpResponse<String> verifyOnHost(GatewayHarness world, String host, String uri, String... headers)
            throws IOException, InterruptedException {
        return send(world, "/auth/verify", host, "GET", uri, headers);
    }

    private static HttpResponse<String> send(GatewayHarness world, String endpoint, String host, String method, String uri,
            String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(world.baseUrl() + endpoint))
                .timeout(Duration.ofSeconds(20))
                .header("X-Forwarded-Method", method)
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", host)
                .header("X-Forwarded-Uri", uri);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return EDGE.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
