package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.Auth;
import dev.gatehouse.core.AuthReason;
import dev.gatehouse.core.AuthRequest;
import dev.gatehouse.core.Check;
import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.core.RequestState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What each {@link TestIssuer.TokenBuilder} method puts in a token, read back both raw and through the SDK. */
class TestIssuerBuilderTest {
    private final TestIssuer issuer = TestIssuer.start();

    @AfterEach
    void stop() {
        issuer.close();
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    private RequestState verify(Gatehouse g, String token) throws Exception {
        return g.authenticateRequest(AuthRequest.bearer(token));
    }

    @Test
    void defaultsLookLikeAGatehousePerServiceToken() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String token = issuer.token().audience("billing-api").sign();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        JWKSet published = JWKSet.parse(fetch(issuer.jwksUrl()));
        assertThat(published.getKeyByKeyId(jwt.getHeader().getKeyID())).isNotNull();
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(issuer.issuer()).startsWith("http://127.0.0.1:");
        assertThat(c.getSubject()).isEqualTo("user_test");
        assertThat(c.getAudience()).containsExactly("billing-api");
        assertThat(c.getIssueTime().toInstant()).isAfter(before);
        assertThat(c.getNotBeforeTime()).isEqualTo(c.getIssueTime());
        assertThat(Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant())).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.getJWTID()).isNotBlank().isNotEqualTo(claims(issuer.token().sign()).getJWTID());
        assertThat(verify(issuer.verifier("billing-api"), token).isSignedIn()).isTrue();
    }

    @Test
    void everyBuilderMethodReachesTheAuth() throws Exception {
        String token = issuer.token().subject("user_42").audience("billing-api", "reports-api").sessionId("sess_9")
                .authorizedParty("https://app.example.com").roles("staff", "support")
                .organization("org_7", "globex", "admin", "org:billing:read", "invoices:create")
                .claim("plan", "enterprise").claim("seats", 12).sign();
        Gatehouse g = Gatehouse.builder().issuer(issuer.issuer()).audience("reports-api").authorizedParties("https://app.example.com")
                .jwksUrl(issuer.jwksUrl()).build();
        Auth auth = verify(g, token).toAuth();
        assertThat(auth.userId()).isEqualTo("user_42");
        assertThat(auth.sessionId()).isEqualTo("sess_9");
        assertThat(auth.roles()).containsExactlyInAnyOrder("staff", "support");
        assertThat(auth.orgId()).isEqualTo("org_7");
        assertThat(auth.orgSlug()).isEqualTo("globex");
        assertThat(auth.orgRole()).isEqualTo("org:admin");
        assertThat(auth.orgPermissions()).containsExactly("org:billing:read", "org:invoices:create");
        assertThat(auth.claims()).containsEntry("plan", "enterprise").containsEntry("azp", "https://app.example.com");
        assertThat(((Number) auth.claims().get("seats")).intValue()).isEqualTo(12);
        assertThat(auth.has(Check.role("admin").andPermission("invoices:create").andGlobalRole("support"))).isTrue();
    }

    @Test
    void timeAndIssuerOverridesMakeTheTokensVerifiersMustRefuse() throws Exception {
        Gatehouse g = issuer.verifier("billing-api");
        String expired = issuer.token().audience("billing-api").issuedAt(Instant.now().minusSeconds(120)).sign();
        assertThat(verify(g, expired).reason()).isEqualTo(AuthReason.TOKEN_EXPIRED);
        String shortLived = issuer.token().audience("billing-api").issuedAt(Instant.now().minusSeconds(20)).expiresIn(Duration.ofSeconds(10)).sign();
        assertThat(verify(g, shortLived).reason()).isEqualTo(AuthReason.TOKEN_EXPIRED);
        String future = issuer.token().audience("billing-api").issuedAt(Instant.now().plusSeconds(600)).sign();
        assertThat(verify(g, future).reason()).isEqualTo(AuthReason.TOKEN_NOT_ACTIVE_YET);
        String foreign = issuer.token().audience("billing-api").issuer("https://evil.example.com").sign();
        assertThat(verify(g, foreign).reason()).isEqualTo(AuthReason.TOKEN_INVALID_ISSUER);
        String noAudience = issuer.token().sign();
        assertThat(verify(g, noAudience).reason()).isEqualTo(AuthReason.TOKEN_INVALID_AUDIENCE);
    }

    @Test
    void rotationSignsWithANewKeyAndKeepsTheOldOnePublishedUntilRetired() throws Exception {
        String before = issuer.token().audience("billing-api").sign();
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
        issuer.rotateKey();
        String after = issuer.token().audience("billing-api").sign();
        String newKid = SignedJWT.parse(after).getHeader().getKeyID();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(JWKSet.parse(fetch(issuer.jwksUrl())).getKeys()).extracting(k -> k.getKeyID()).containsExactly(oldKid, newKid);
        Gatehouse fresh = issuer.verifier("billing-api");
        assertThat(verify(fresh, before).isSignedIn()).isTrue();
        assertThat(verify(fresh, after).isSignedIn()).isTrue();
        issuer.retireOldKeys();
        assertThat(JWKSet.parse(fetch(issuer.jwksUrl())).getKeys()).extracting(k -> k.getKeyID()).containsExactly(newKid);
        assertThat(verify(issuer.verifier("billing-api"), issuer.token().audience("billing-api").sign()).isSignedIn()).isTrue();
    }

    @Test
    void theJwksPublishesOnlyPublicKeys() throws Exception {
        String jwks = fetch(issuer.jwksUrl());
        assertThat(JWKSet.parse(jwks).getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        assertThat(jwks).doesNotContain("\"d\"");
    }

    @Test
    void closingStopsServingTheJwks() throws Exception {
        String url = issuer.jwksUrl();
        issuer.close();
        assertThatThrownBy(() -> fetch(url)).isInstanceOf(IOException.class);
    }

    private static String fetch(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
