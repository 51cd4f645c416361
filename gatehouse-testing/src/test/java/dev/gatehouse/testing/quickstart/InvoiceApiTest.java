package dev.gatehouse.testing.quickstart;

// README:begin
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.Auth;
import dev.gatehouse.core.AuthReason;
import dev.gatehouse.core.AuthRequest;
import dev.gatehouse.core.Check;
import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.core.RequestState;
import dev.gatehouse.testing.TestIssuer;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class InvoiceApiTest {
    // A real issuer: a fresh ES256 key and its JWKS served on 127.0.0.1 (port 0). No gateway, no mocks.
    static final TestIssuer issuer = TestIssuer.start();

    // Configure the SDK exactly as in production, pointed at the test issuer.
    final Gatehouse gatehouse = Gatehouse.builder()
            .issuer(issuer.issuer())
            .audience("billing-api")
            .jwksUrl(issuer.jwksUrl())
            .build();

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void aBillingReaderIsLetIn() throws Exception {
        String token = issuer.token()
                .subject("user_1")
                .audience("billing-api")
                .organization("org_1", "acme", "org:member", "org:billing:read")
                .sign();
        Auth auth = gatehouse.authenticateRequest(AuthRequest.bearer(token)).toAuth();
        assertThat(auth.userId()).isEqualTo("user_1");
        assertThat(auth.has(Check.permission("org:billing:read"))).isTrue();
    }

    @Test
    void anExpiredTokenIsSignedOut() throws Exception {
        String token = issuer.token().audience("billing-api").issuedAt(Instant.now().minusSeconds(3600)).sign();
        RequestState state = gatehouse.authenticateRequest(AuthRequest.bearer(token));
        assertThat(state.reason()).isEqualTo(AuthReason.TOKEN_EXPIRED);
    }

    @Test
    void aTokenForAnotherServiceIsSignedOut() throws Exception {
        String token = issuer.token().audience("orders-api").sign();
        assertThat(gatehouse.authenticateRequest(AuthRequest.bearer(token)).reason()).isEqualTo(AuthReason.TOKEN_INVALID_AUDIENCE);
    }
}
// README:end
