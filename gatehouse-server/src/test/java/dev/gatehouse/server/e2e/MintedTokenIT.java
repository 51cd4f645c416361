package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MintedTokenIT {
    static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.builder()
                .yaml(String.join("\n",
                        "token_templates:",
                        "  billing:",
                        "    audience: billing-api",
                        "    lifetime: 40s",
                        "    claims:",
                        "      email: '{{user.email}}'",
                        "      plan: \"{{user.public_metadata.plan || 'free'}}\"",
                        "      org_role: '{{org.role}}'",
                        "      permissions: '{{org.permissions}}'",
                        "      session: '{{session.id}}'",
                        "      label: 'user-{{user.id}}'",
                        "  reports:",
                        "    audience: reports-api"))
                .routes(String.join("\n",
                        "  - {match: /api/billing/**, upstream: %API%, access: authenticated, token: {template: billing}}",
                        "  - {match: /api/reports/**, upstream: %API%, access: authenticated, token: {template: reports}}",
                        "  - {match: /**, upstream: %SPA%, access: public}"))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    /** The token the api upstream received on its last request. */
    private static String upstreamToken() {
        String auth = h.api.last().header("authorization");
        assertThat(auth).startsWith("Bearer ");
        return auth.substring(7);
    }

    private static String call(Browser b, String path) {
        Browser.Response r = b.get(path);
        assertThat(r.status()).as(path).isEqualTo(200);
        return upstreamToken();
    }

    private static JWKSet publishedKeys() throws Exception {
        Browser.Response r = h.browser().get("/.well-known/jwks.json");
        assertThat(r.status()).isEqualTo(200);
        return JWKSet.parse(r.body());
    }

    /** A service's verifier: keys from the gateway's JWKS, typ at+jwt, exact issuer and its own audience. */
    private static JWTClaimsSet verifyAsService(String token, String audience) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(publishedKeys())));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(h.baseUrl()).build(), Set.of("sub", "exp", "iat", "jti"));
        // The harness clock moves ahead of real time in some tests; time checks are not what this verifier is about.
        claims.setMaxClockSkew((int) Duration.ofHours(1).toSeconds());
        p.setJWTClaimsSetVerifier(claims);
        return p.process(token, null);
    }

    @Test
    void upstreamReceivesATokenMintedForItWithTheStandardAndTemplateClaims() throws Exception {
        // A per-service token is what each service trusts: it must carry exactly the identity, org and audience promised.
        Browser alice = h.user("alice").roles("admin")
                .organization("acme", "org:admin", "org:billing:read", "org:billing:write")
                .claim("public_metadata", Map.of("plan", "pro"))
                .signIn();
        String sid = new JsonObject(alice.get("/api/auth/session").body()).getJsonObject("session").getString("id");

        SignedJWT jwt = SignedJWT.parse(call(alice, "/api/billing/invoices"));

        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        ECKey key = (ECKey) publishedKeys().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the kid names a published key").isNotNull();
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();

        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(h.baseUrl());
        assertThat(c.getSubject()).isEqualTo("alice");
        assertThat(c.getAudience()).containsExactly("billing-api");
        assertThat(Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant())).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.getNotBeforeTime()).isEqualTo(c.getIssueTime());
        assertThat(c.getJWTID()).isNotBlank();
        assertThat(sid).startsWith("sess_");
        assertThat(c.getStringClaim("sid")).isEqualTo(sid);
        assertThat(c.getStringClaim("azp")).isEqualTo(h.baseUrl());
        Map<String, Object> org = c.getJSONObjectClaim("org");
        assertThat(org).containsEntry("id", "acme").containsEntry("slug", "acme").containsEntry("role", "org:admin");
        assertThat(org.get("permissions")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactlyInAnyOrder("org:billing:read", "org:billing:write");
        assertThat(c.getStringListClaim("roles")).containsExactly("admin");
        assertThat(c.getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(c.getStringClaim("plan")).isEqualTo("pro");
        assertThat(c.getStringClaim("org_role")).isEqualTo("org:admin");
        assertThat(c.getStringListClaim("permissions")).containsExactlyInAnyOrder("org:billing:read", "org:billing:write");
        assertThat(c.getStringClaim("session")).isEqualTo(sid);
        assertThat(c.getStringClaim("label")).isEqualTo("user-alice");
        assertThat(c.getClaim("nonce")).as("never passable as an ID token").isNull();
        // M-07: the standard claims and the template's own, nothing else (no provider token, no profile dump).
        assertThat(c.getClaims().keySet()).containsExactlyInAnyOrder("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid",
                "azp", "org", "roles", "email", "plan", "org_role", "permissions", "session", "label");
        assertThat(h.api.last().header("cookie")).isNull();
    }

    @Test
    void fallbacksApplyAndOrgClaimsAreLeftOutWithoutAnActiveOrganization() throws Exception {
        // Templates must degrade predictably for users without metadata or organization, not emit empty or bogus claims.
        Browser bob = h.signInAs("bob");

        JWTClaimsSet c = SignedJWT.parse(call(bob, "/api/billing/invoices")).getJWTClaimsSet();

        assertThat(c.getStringClaim("plan")).isEqualTo("free");
        assertThat(c.getClaims()).doesNotContainKeys("org", "org_role", "permissions");
        assertThat(c.getStringListClaim("roles")).isEmpty();
        assertThat(c.getStringClaim("label")).isEqualTo("user-bob");
    }

    @Test
    void eachServiceGetsATokenForItsAudienceOnlyThatTheOtherServiceRejects() throws Exception {
        // Audience restriction (C-16, M-02, BFF-28): a token stolen from one service must be useless at another.
        Browser carol = h.signInAs("carol");
        String billing = call(carol, "/api/billing/x");
        String reports = call(carol, "/api/reports/x");

        assertThat(verifyAsService(billing, "billing-api").getAudience()).containsExactly("billing-api");
        assertThat(verifyAsService(reports, "reports-api").getAudience()).containsExactly("reports-api");
        assertThatThrownBy(() -> verifyAsService(billing, "reports-api")).isInstanceOf(BadJOSEException.class);
        assertThatThrownBy(() -> verifyAsService(reports, "billing-api")).isInstanceOf(BadJOSEException.class);
        assertThat(SignedJWT.parse(reports).getJWTClaimsSet().getExpirationTime().getTime()
                - SignedJWT.parse(reports).getJWTClaimsSet().getIssueTime().getTime()).as("default lifetime").isEqualTo(60_000);
    }

    @Test
    void mintedTokenIsReusedUntilThreeQuartersOfItsLifetimeThenReplaced() throws Exception {
        // Minting on every request would cost a signature per call; reusing too long would hand services stale tokens.
        Browser dave = h.signInAs("dave");
        String first = call(dave, "/api/billing/a");
        assertThat(call(dave, "/api/billing/b")).isEqualTo(first);

        h.clock.advance(Duration.ofSeconds(29));
        assertThat(call(dave, "/api/billing/c")).isEqualTo(first);

        h.clock.advance(Duration.ofSeconds(2));
        String second = call(dave, "/api/billing/d");
        assertThat(second).isNotEqualTo(first);
        assertThat(SignedJWT.parse(second).getJWTClaimsSet().getJWTID())
                .isNotEqualTo(SignedJWT.parse(first).getJWTClaimsSet().getJWTID());
        assertThat(call(dave, "/api/billing/e")).isEqualTo(second);
    }

    @Test
    void jtiIsUniqueForEveryMint() throws Exception {
        // Services that keep a replay cache rely on jti never repeating across users or sessions.
        Set<String> ids = new HashSet<>();
        for (String name : List.of("erin", "frank", "grace")) {
            Browser b = h.signInAs(name);
            ids.add(SignedJWT.parse(call(b, "/api/billing/x")).getJWTClaimsSet().getJWTID());
            ids.add(SignedJWT.parse(call(b, "/api/reports/x")).getJWTClaimsSet().getJWTID());
        }
        assertThat(ids).hasSize(6);
    }

    @Test
    void signOutDropsTheSessionsTokensAndTheNextSignInGetsFreshOnes() throws Exception {
        // A token cached for an ended session must never be handed to whoever holds the next session.
        Browser heidi = h.signInAs("heidi");
        String oldCookie = heidi.cookie(h.cookieName());
        String before = call(heidi, "/api/billing/x");

        assertThat(heidi.post("/auth/logout", null).status()).isEqualTo(200);
        Browser replay = h.browser();
        replay.setCookie(h.cookieName(), oldCookie);
        int seen = h.api.count();
        assertThat(replay.get("/api/billing/x").status()).isEqualTo(401);
        assertThat(h.api.count()).isEqualTo(seen);

        h.user("heidi").signIn(heidi);
        String after = call(heidi, "/api/billing/x");
        assertThat(after).isNotEqualTo(before);
        assertThat(SignedJWT.parse(after).getJWTClaimsSet().getStringClaim("sid"))
                .isNotEqualTo(SignedJWT.parse(before).getJWTClaimsSet().getStringClaim("sid"));
    }

    @Test
    void theBrowserNeverSeesAMintedTokenInAnyResponseOrLogLine() throws Exception {
        // BFF-03: minted tokens are for services; the browser and the logs get none of them.
        Browser ivan = h.user("ivan").organization("acme", "org:member", "org:billing:read").signIn();
        call(ivan, "/api/billing/x");
        call(ivan, "/api/reports/x");
        ivan.get("/api/auth/session");
        ivan.post("/api/billing/x", "{}");

        List<String> minted = h.tokensSeenUpstream();
        assertThat(minted).isNotEmpty();
        assertThat(h.responses().leaks(minted)).isEmpty();
        for (String token : minted) {
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertThat(LogRecorder.lines()).noneMatch(line -> line.contains(signature));
        }
    }

    @Test
    void templateThatSetsAReservedClaimIsRefusedAtConfigLoad() {
        // A template must not be able to forge identity: sub, iss, aud and the rest belong to the gateway (check reports it).
        String yaml = String.join("\n",
                "identity: {issuer: 'http://127.0.0.1:1/idp', client_id: gatehouse, client_secret: s}",
                "token_templates:",
                "  billing: {audience: billing-api, claims: {sub: x}}",
                "  short: {audience: a, lifetime: 2s}",
                "  typo: {audience: a, claims: {plan: '{{user.plan}}'}}",
                "routes:",
                "  - {match: /api/**, upstream: 'http://127.0.0.1:1', token: {template: billing}}",
                "  - {match: /other/**, upstream: 'http://127.0.0.1:1', token: {template: missing}}");

        assertThatThrownBy(() -> new ConfigLoader(name -> null).parse(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).contains(
                        "token_templates.billing.claims.sub: is reserved and set by Gatehouse",
                        "token_templates.short.lifetime: must be between 5s and 60m (got 2s)")
                        .anySatisfy(line -> assertThat(line).startsWith("token_templates.typo.claims.plan: unknown placeholder user.plan"))
                        .anySatisfy(line -> assertThat(line).contains("no token template named missing")));
    }
}
