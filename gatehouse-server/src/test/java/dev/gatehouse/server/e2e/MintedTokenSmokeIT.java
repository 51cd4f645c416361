package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MintedTokenSmokeIT {
    static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.builder()
                .yaml("token_templates:\n  billing:\n    audience: billing-api\n    claims: {email: '{{user.email}}', plan: \"{{user.public_metadata.plan || 'free'}}\"}")
                .routes("  - {match: /api/billing/**, upstream: %API%, access: authenticated, token: {template: billing}}\n"
                        + "  - {match: /**, upstream: %SPA%, access: public}")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    @Test
    void billingServiceReceivesATokenMintedForItAndVerifiableWithTheJwks() throws Exception {
        // The per-service token is the heart of the token broker: audience-bound, signed by a published key.
        Browser alice = h.signInAs("alice");
        assertThat(alice.get("/api/billing/invoices").status()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(h.api.last().header("authorization").substring(7));
        JWKSet keys = JWKSet.parse(h.browser().get("/.well-known/jwks.json").body());
        assertThat(jwt.verify(new ECDSAVerifier((ECKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID())))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("billing-api");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(jwt.getJWTClaimsSet().getClaim("email")).isEqualTo("alice@example.com");
        assertThat(jwt.getJWTClaimsSet().getClaim("plan")).isEqualTo("free");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(h.baseUrl());
    }
}
