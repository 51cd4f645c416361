package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.Auth;
import dev.gatehouse.core.AuthReason;
import dev.gatehouse.core.AuthRequest;
import dev.gatehouse.core.Check;
import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.core.RequestState;
import org.junit.jupiter.api.Test;

class TestIssuerTest {

    @Test
    void tokensFromTheIssuerVerifyThroughItsServedJwks() throws Exception {
        try (TestIssuer issuer = TestIssuer.start()) {
            Gatehouse gatehouse = issuer.verifier("billing-api");
            String token = issuer.token().subject("user_1").audience("billing-api").sessionId("sess_1")
                    .organization("org_1", "acme", "admin", "org:billing:read").roles("staff").sign();
            RequestState state = gatehouse.authenticateRequest(AuthRequest.bearer(token));
            assertThat(state.status()).isEqualTo("signed-in");
            Auth auth = state.toAuth();
            assertThat(auth.userId()).isEqualTo("user_1");
            assertThat(auth.sessionId()).isEqualTo("sess_1");
            assertThat(auth.orgRole()).isEqualTo("org:admin");
            assertThat(auth.has(Check.role("admin").andPermission("billing:read"))).isTrue();
            assertThat(auth.has(Check.permission("org:billing:write"))).isFalse();
            assertThat(auth.has(Check.globalRole("staff"))).isTrue();
        }
    }

    @Test
    void aTokenForAnotherAudienceOrSignedByARetiredKeyIsSignedOut() throws Exception {
        try (TestIssuer issuer = TestIssuer.start()) {
            Gatehouse gatehouse = issuer.verifier("billing-api");
            String other = issuer.token().audience("orders-api").sign();
            assertThat(gatehouse.authenticateRequest(AuthRequest.bearer(other)).reason()).isEqualTo(AuthReason.TOKEN_INVALID_AUDIENCE);
            String old = issuer.token().audience("billing-api").sign();
            issuer.rotateKey();
            issuer.retireOldKeys();
            RequestState state = Gatehouse.builder().issuer(issuer.issuer()).audience("billing-api").jwksUrl(issuer.jwksUrl()).build()
                    .authenticateRequest(AuthRequest.bearer(old));
            assertThat(state.reason()).isEqualTo(AuthReason.JWK_KID_MISMATCH);
        }
    }
}
