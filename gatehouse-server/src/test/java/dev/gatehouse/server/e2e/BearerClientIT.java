package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BearerClientIT {
    static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.builder()
                .yaml("token_templates:\n  mobile:\n    audience: mobile-api\n    claims: {email: '{{user.email}}'}")
                .routes(String.join("\n",
                        "  - {match: /api/mobile/**, upstream: %API%, access: authenticated, bearer: true, token: {template: mobile}}",
                        "  - {match: /api/mobile-admin/**, upstream: %API%, access: authenticated, bearer: true,"
                                + " token: {template: mobile}, require: {roles: [admin]}}",
                        "  - {match: /api/web/**, upstream: %API%, access: authenticated, token: {template: mobile}}",
                        "  - {match: /api/public/**, upstream: %API%, access: public}",
                        "  - {match: /**, upstream: %SPA%, access: public}"))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    /** An access token the provider issues to a client (audience gatehouse), signed with its published key. */
    private static String providerToken(String subject, Map<String, Object> claims) {
        return h.provider.issueToken(GatewayHarness.ISSUER_ID, subject, GatewayHarness.CLIENT_ID, claims).serialize();
    }

    /** A token signed with the provider's real key but with exactly these claims (any iss, aud, exp). */
    private static String forged(String issuer, Map<String, Object> claims, Duration lifetime) {
        return h.provider.anyToken(HttpUrl.get(issuer), claims, lifetime).serialize();
    }

    /** Whether the provider's published keys verify this token: the rejections below must not be about the signature. */
    private static boolean signedByProvider(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet keys = JWKSet.load(h.provider.jwksUrl(GatewayHarness.ISSUER_ID).url());
        return jwt.verify(new RSASSAVerifier((RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID())));
    }

    private static Map<String, Object> claims(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private static Browser.Response withBearer(Browser b, String method, String path, String token) {
        return b.fetch(method, path, method.equals("GET") ? null : "{}", "Authorization", "Bearer " + token);
    }

    private static JWTClaimsSet upstreamClaims() throws Exception {
        return SignedJWT.parse(h.api.last().header("authorization").substring(7)).getJWTClaimsSet();
    }

    private static String reason(Browser.Response r) {
        return new JsonObject(r.body()).getString("reason");
    }

    @Test
    void bearerClientGetsThroughAndTheUpstreamReceivesAMintedTokenInItsPlace() throws Exception {
        // Mobile apps and scripts use the same routes as the SPA; services still see only a token made for them.
        String bearer = providerToken("mobile-user", claims("email", "m@example.com"));

        Browser.Response r = withBearer(h.browser(), "GET", "/api/mobile/orders", bearer);

        assertThat(r.status()).isEqualTo(200);
        String forwarded = h.api.last().header("authorization").substring(7);
        assertThat(forwarded).isNotEqualTo(bearer);
        JWTClaimsSet c = upstreamClaims();
        assertThat(c.getSubject()).isEqualTo("mobile-user");
        assertThat(c.getIssuer()).isEqualTo(h.baseUrl());
        assertThat(c.getAudience()).containsExactly("mobile-api");
        assertThat(c.getStringClaim("email")).isEqualTo("m@example.com");
        assertThat(c.getClaim("sid")).as("no session behind a bearer client").isNull();
        assertThat(r.body()).doesNotContain(forwarded);
    }

    @Test
    void repeatedCallsWithOneBearerReuseTheMintedToken() throws Exception {
        // Verification and minting once per bearer token, not once per request.
        String bearer = providerToken("repeat-user", claims());
        assertThat(withBearer(h.browser(), "GET", "/api/mobile/a", bearer).status()).isEqualTo(200);
        String first = h.api.last().header("authorization");
        assertThat(withBearer(h.browser(), "GET", "/api/mobile/b", bearer).status()).isEqualTo(200);
        assertThat(h.api.last().header("authorization")).isEqualTo(first);
    }

    @Test
    void bearerWithAnotherAudienceIsRejected() throws Exception {
        // A token the provider issued for some other API must not open the gateway (confused deputy).
        String other = h.provider.issueToken(GatewayHarness.ISSUER_ID, "u", "someone-else", Map.of()).serialize();
        assertThat(signedByProvider(other)).isTrue();
        assertRejected(other);
    }

    @Test
    void bearerFromAnotherIssuerIsRejectedEvenWithAValidSignature() throws Exception {
        // The issuer check is separate from the signature: a key shared across issuers must not let one pass as the other.
        String token = forged("http://evil.example/" + GatewayHarness.ISSUER_ID,
                claims("sub", "u", "aud", GatewayHarness.CLIENT_ID), Duration.ofMinutes(5));
        assertThat(signedByProvider(token)).isTrue();
        assertRejected(token);
    }

    @Test
    void expiredBearerIsRejected() throws Exception {
        // Stolen old tokens must stop working when they expire.
        String token = forged(h.issuer(), claims("sub", "u", "aud", GatewayHarness.CLIENT_ID), Duration.ofMinutes(-5));
        assertThat(signedByProvider(token)).isTrue();
        assertRejected(token);
    }

    @Test
    void theSameClaimsFreshlySignedAreAccepted() throws Exception {
        // Control for the three rejections above: a token built the same way with the right iss, aud and exp passes.
        String token = forged(h.issuer(), claims("sub", "control", "aud", GatewayHarness.CLIENT_ID), Duration.ofMinutes(5));
        assertThat(withBearer(h.browser(), "GET", "/api/mobile/x", token).status()).isEqualTo(200);
        assertThat(upstreamClaims().getSubject()).isEqualTo("control");
    }

    @Test
    void garbageUnsignedAndTamperedBearersAreRejected() throws Exception {
        // J-02/J-03: anything that is not a correctly signed provider token is a 401, never a 5xx.
        assertRejected("not-a-jwt");
        assertRejected("eyJhbGciOiJFUzI1NiJ9.e30.AAAA");
        String unsigned = new PlainJWT(new JWTClaimsSet.Builder().issuer(h.issuer()).subject("u")
                .audience(GatewayHarness.CLIENT_ID).expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000))
                .build()).serialize();
        assertRejected(unsigned);
        String good = providerToken("u", claims());
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        SignedJWT.parse(good).getPayload().toString().replace("\"sub\":\"u\"", "\"sub\":\"admin\"")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[2];
        assertRejected(tampered);
    }

    @Test
    void aMintedPerServiceTokenReplayedAsABearerIsRejected() throws Exception {
        // J-10: a service holding a token Gatehouse made for it must not turn it into access through the gateway.
        Browser alice = h.signInAs("replayer");
        assertThat(alice.get("/api/web/x").status()).isEqualTo(200);
        String minted = h.api.last().header("authorization").substring(7);
        assertThat(SignedJWT.parse(minted).getJWTClaimsSet().getIssuer()).isEqualTo(h.baseUrl());

        assertRejected(minted);
    }

    @Test
    void theIdTokenHandedOutAtLogoutIsNotAcceptedAsABearer() throws Exception {
        // J-09: the logout answer gives the browser the ended session's ID token (id_token_hint); its audience is the
        // client id, like a provider access token's, so only its ID-token claims tell it apart. It must not work.
        Browser bob = h.signInAs("hinted");
        Browser.Response logout = bob.post("/auth/logout", null);
        assertThat(logout.status()).isEqualTo(200);
        String url = new JsonObject(logout.body()).getString("logoutUrl");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("id_token_hint=([^&]+)").matcher(url);
        assertThat(m.find()).as("the end-session URL carries id_token_hint").isTrue();
        String idToken = java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(signedByProvider(idToken)).isTrue();
        assertThat(SignedJWT.parse(idToken).getJWTClaimsSet().getAudience()).contains(GatewayHarness.CLIENT_ID);

        assertRejected(idToken);
        assertRejected(forged(h.issuer(), claims("sub", "x", "aud", GatewayHarness.CLIENT_ID, "at_hash", "abc"), Duration.ofMinutes(5)));
    }

    private static void assertRejected(String token) {
        int seen = h.api.count();
        Browser.Response r = withBearer(h.browser(), "GET", "/api/mobile/orders", token);
        assertThat(r.status()).isEqualTo(401);
        assertThat(reason(r)).isEqualTo("token_invalid");
        assertThat(h.api.count()).isEqualTo(seen);
    }

    @Test
    void bearerCallersAreHeldToTheRoutesRules() throws Exception {
        // A bearer is another way to prove identity, not a way around the route's requirements.
        Browser.Response plain = withBearer(h.browser(), "GET", "/api/mobile-admin/x", providerToken("plain", claims()));
        assertThat(plain.status()).isEqualTo(403);
        assertThat(reason(plain)).isEqualTo("missing_role");

        Browser.Response admin = withBearer(h.browser(), "GET", "/api/mobile-admin/x",
                providerToken("boss", claims("roles", List.of("admin"))));
        assertThat(admin.status()).isEqualTo(200);
        assertThat(upstreamClaims().getStringListClaim("roles")).containsExactly("admin");
    }

    @Test
    void withCookieAndBearerTheBearerWinsAndTheCookieIsIgnored() throws Exception {
        // One identity per request: mixing a browser session and a client token must never merge or fall back.
        Browser alice = h.signInAs("alice");

        assertThat(withBearer(alice, "GET", "/api/mobile/x", providerToken("mobile-user", claims())).status()).isEqualTo(200);
        assertThat(upstreamClaims().getSubject()).isEqualTo("mobile-user");
        assertThat(h.api.last().header("cookie")).isNull();

        int seen = h.api.count();
        Browser.Response bad = withBearer(alice, "GET", "/api/mobile/x", "not-a-jwt");
        assertThat(bad.status()).as("an invalid bearer does not fall back to the cookie").isEqualTo(401);
        assertThat(h.api.count()).isEqualTo(seen);
        assertThat(alice.get("/api/mobile/x").status()).as("the session itself is untouched").isEqualTo(200);
        assertThat(upstreamClaims().getSubject()).isEqualTo("alice");
    }

    @Test
    void routeWithoutBearerIgnoresAndStripsTheAuthorizationHeader() throws Exception {
        // Only routes that opt in accept bearers; elsewhere the header must neither authenticate nor reach the service.
        String bearer = providerToken("mobile-user", claims());
        Browser.Response anonymous = withBearer(h.browser(), "GET", "/api/web/x", bearer);
        assertThat(anonymous.status()).isEqualTo(401);

        Browser bob = h.signInAs("bob");
        assertThat(withBearer(bob, "GET", "/api/web/x", bearer).status()).isEqualTo(200);
        assertThat(upstreamClaims().getSubject()).isEqualTo("bob");
        assertThat(h.api.last().header("authorization")).doesNotContain(bearer);

        assertThat(withBearer(h.browser(), "GET", "/api/public/x", bearer).status()).isEqualTo(200);
        assertThat(h.api.last().header("authorization")).isNull();
    }

    @Test
    void bearerPostNeedsNoCsrfHeaderButCookiePostOnTheSameRouteDoes() throws Exception {
        // CSRF protects ambient credentials (cookies); a bearer token cannot be attached by another site.
        String bearer = providerToken("script", claims());
        Browser.Response bearerPost = withBearer(h.browser(), "POST", "/api/mobile/jobs", bearer);
        assertThat(bearerPost.status()).isEqualTo(200);
        assertThat(h.api.last().method()).isEqualTo("POST");
        assertThat(upstreamClaims().getSubject()).isEqualTo("script");

        Browser carol = h.signInAs("carol");
        int seen = h.api.count();
        Browser.Response cookiePost = carol.fetch("POST", "/api/mobile/jobs", "{}");
        assertThat(cookiePost.status()).isEqualTo(403);
        assertThat(reason(cookiePost)).isEqualTo("csrf_failed");
        assertThat(h.api.count()).isEqualTo(seen);
    }

    @Test
    void noMintedTokenReachesTheClient() {
        // BFF-03 for bearer clients: they get the service's answer, never the service's token.
        withBearer(h.browser(), "GET", "/api/mobile/x", providerToken("leak-check", claims()));
        assertThat(h.responses().leaks(h.tokensSeenUpstream())).isEmpty();
    }
}
