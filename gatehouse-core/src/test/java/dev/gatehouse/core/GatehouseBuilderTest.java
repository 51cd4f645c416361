package dev.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GatehouseBuilderTest {
    private static final String PEM = Jws.pem(Jws.ec("secp256r1").getPublic());

    @Test
    void issuerIsRequired() {
        assertThatThrownBy(() -> Gatehouse.builder().audience("billing-api").publicKeyPem(PEM).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer is required");
        assertThatThrownBy(() -> Gatehouse.builder().issuer("  ").audience("billing-api").publicKeyPem(PEM).build())
                .hasMessageContaining("issuer is required");
    }

    @Test
    void audienceIsRequired() {
        assertThatThrownBy(() -> Gatehouse.builder().issuer(Jws.ISSUER).publicKeyPem(PEM).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("audience is required");
    }

    @Test
    void acceptingTokensWithoutAudienceNeedsAuthorizedParties() {
        assertThatThrownBy(() -> Gatehouse.builder().issuer(Jws.ISSUER).acceptTokensWithoutAudience().publicKeyPem(PEM).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs authorizedParties");
        assertThat(Gatehouse.builder().issuer(Jws.ISSUER).acceptTokensWithoutAudience()
                .authorizedParties("https://app.example.com").publicKeyPem(PEM).build()).isNotNull();
    }

    @Test
    void exactlyOneKeySourceIsRequired() {
        assertThatThrownBy(() -> Gatehouse.builder().issuer(Jws.ISSUER).audience("billing-api").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one of jwksUrl(...) and publicKeyPem(...)");
        assertThatThrownBy(() -> Gatehouse.builder().issuer(Jws.ISSUER).audience("billing-api").publicKeyPem(PEM)
                .jwksUrl(Jws.ISSUER + "/.well-known/jwks.json").build())
                .hasMessageContaining("exactly one of jwksUrl(...) and publicKeyPem(...)");
    }

    @Test
    void jwksUrlMustBeAnAbsoluteHttpUrl() {
        assertThatThrownBy(() -> Gatehouse.builder().issuer(Jws.ISSUER).audience("billing-api").jwksUrl("file:///etc/jwks.json").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jwksUrl must be http(s)");
        // A relative URL has no scheme at all; it must fail with the same clear message, not a NullPointerException.
        assertThatThrownBy(() -> Gatehouse.builder().issuer(Jws.ISSUER).audience("billing-api").jwksUrl("gatehouse.example.com/jwks.json").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jwksUrl must be http(s)");
    }

    @Test
    void anEmptyAlgorithmListIsRefused() {
        assertThatThrownBy(() -> Gatehouse.builder().issuer(Jws.ISSUER).audience("billing-api").publicKeyPem(PEM).algorithms().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one algorithm");
    }

    @Test
    void aPemThatIsNotAPublicKeyFailsAtBuildNotAtTheFirstRequest() {
        assertThatThrownBy(() -> Gatehouse.builder().issuer(Jws.ISSUER).audience("billing-api").publicKeyPem("not a key").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PEM public key");
        String privateKeyPem = "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getEncoder().encodeToString(Jws.ec("secp256r1").getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----";
        assertThatThrownBy(() -> Gatehouse.builder().issuer(Jws.ISSUER).audience("billing-api").publicKeyPem(privateKeyPem).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
