package dev.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The claim checks that follow a good signature: iss, aud, azp, exp, nbf, iat, sub, each with its reason. */
class ClaimChecksTest {
    private final KeyPair key = Jws.ec("secp256r1");
    private final TestClock clock = TestClock.atWholeSecond();
    private final Gatehouse gatehouse = builder().build();

    private Gatehouse.Builder builder() {
        return Gatehouse.builder().issuer(Jws.ISSUER).audience(Jws.AUDIENCE).publicKeyPem(Jws.pem(key.getPublic())).clock(clock);
    }

    private String token(Consumer<Map<String, Object>> edit) {
        Map<String, Object> claims = Jws.claims(clock.instant());
        edit.accept(claims);
        return Jws.token(Jws.header("ES256", "k1"), claims, Jws.es256(key.getPrivate()));
    }

    private static AuthReason reason(Gatehouse g, String token) throws Exception {
        return g.authenticateRequest(AuthRequest.bearer(token)).reason();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    @Test
    void theIssuerMustMatchExactly() throws Exception {
        assertThat(reason(gatehouse, token(c -> c.put("iss", "https://evil.example.com")))).isEqualTo(AuthReason.TOKEN_INVALID_ISSUER);
        assertThat(reason(gatehouse, token(c -> c.put("iss", Jws.ISSUER + "/")))).isEqualTo(AuthReason.TOKEN_INVALID_ISSUER);
        assertThat(reason(gatehouse, token(c -> c.remove("iss")))).isEqualTo(AuthReason.TOKEN_INVALID_ISSUER);
    }

    @Test
    void theAudienceMustNameThisService() throws Exception {
        assertThat(reason(gatehouse, token(c -> c.put("aud", List.of("orders-api"))))).isEqualTo(AuthReason.TOKEN_INVALID_AUDIENCE);
        assertThat(reason(gatehouse, token(c -> c.remove("aud")))).isEqualTo(AuthReason.TOKEN_INVALID_AUDIENCE);
        assertThat(reason(gatehouse, token(c -> c.put("aud", Jws.AUDIENCE)))).isNull();
        assertThat(reason(gatehouse, token(c -> c.put("aud", List.of("orders-api", Jws.AUDIENCE))))).isNull();
        Gatehouse two = builder().audience("billing-v2").build();
        assertThat(reason(two, token(c -> c.put("aud", "billing-v2")))).isNull();
    }

    @Test
    void aMissingAuthorizedPartyFailsClosedWhenPartiesAreConfigured() throws Exception {
        // The official Java Clerk helper skipped the check when azp was absent; a missing azp must not bypass it.
        Gatehouse g = builder().authorizedParties("https://app.example.com").build();
        assertThat(reason(g, token(c -> { }))).isEqualTo(AuthReason.TOKEN_INVALID_AUTHORIZED_PARTIES);
        assertThat(reason(g, token(c -> c.put("azp", "https://evil.example.com")))).isEqualTo(AuthReason.TOKEN_INVALID_AUTHORIZED_PARTIES);
        assertThat(reason(g, token(c -> c.put("azp", List.of("https://app.example.com"))))).isEqualTo(AuthReason.TOKEN_INVALID_AUTHORIZED_PARTIES);
        assertThat(reason(g, token(c -> c.put("azp", "https://app.example.com")))).isNull();
        assertThat(reason(gatehouse, token(c -> c.put("azp", "https://anything.example.com")))).isNull();
    }

    @Test
    void tokensWithoutAudienceAreAcceptedOnlyWhenAskedForAndBoundByAzp() throws Exception {
        Gatehouse clerkStyle = Gatehouse.builder().issuer(Jws.ISSUER).acceptTokensWithoutAudience()
                .authorizedParties("https://app.example.com").publicKeyPem(Jws.pem(key.getPublic())).clock(clock).build();
        assertThat(reason(clerkStyle, token(c -> { c.remove("aud"); c.put("azp", "https://app.example.com"); }))).isNull();
        assertThat(reason(clerkStyle, token(c -> c.remove("aud")))).isEqualTo(AuthReason.TOKEN_INVALID_AUTHORIZED_PARTIES);
    }

    @Test
    void aTokenWithoutExpiryIsInvalid() throws Exception {
        assertThat(reason(gatehouse, token(c -> c.remove("exp")))).isEqualTo(AuthReason.TOKEN_INVALID);
    }

    @Test
    void expiryAllowsTheDefaultFiveSecondsOfLeewayAndNoMore() throws Exception {
        assertThat(reason(gatehouse, token(c -> c.put("exp", now() - 4)))).isNull();
        assertThat(reason(gatehouse, token(c -> c.put("exp", now() - 5)))).isEqualTo(AuthReason.TOKEN_EXPIRED);
        assertThat(reason(gatehouse, token(c -> c.put("exp", now() - 3600)))).isEqualTo(AuthReason.TOKEN_EXPIRED);
    }

    @Test
    void aConfiguredLeewayReplacesTheDefault() throws Exception {
        Gatehouse lenient = builder().leeway(Duration.ofSeconds(60)).build();
        assertThat(reason(lenient, token(c -> c.put("exp", now() - 59)))).isNull();
        assertThat(reason(lenient, token(c -> c.put("exp", now() - 61)))).isEqualTo(AuthReason.TOKEN_EXPIRED);
        assertThat(reason(lenient, token(c -> c.put("nbf", now() + 61)))).isEqualTo(AuthReason.TOKEN_NOT_ACTIVE_YET);
        Gatehouse strict = builder().leeway(Duration.ZERO).build();
        assertThat(reason(strict, token(c -> c.put("exp", now())))).isEqualTo(AuthReason.TOKEN_EXPIRED);
        assertThat(reason(strict, token(c -> c.put("exp", now() + 1)))).isNull();
    }

    @Test
    void aTokenNotValidYetIsRefusedBeyondTheLeeway() throws Exception {
        assertThat(reason(gatehouse, token(c -> c.put("nbf", now() + 5)))).isNull();
        assertThat(reason(gatehouse, token(c -> c.put("nbf", now() + 6)))).isEqualTo(AuthReason.TOKEN_NOT_ACTIVE_YET);
    }

    @Test
    void aTokenIssuedInTheFutureIsRefusedBeyondTheLeeway() throws Exception {
        assertThat(reason(gatehouse, token(c -> { c.remove("nbf"); c.put("iat", now() + 5); }))).isNull();
        assertThat(reason(gatehouse, token(c -> { c.remove("nbf"); c.put("iat", now() + 6); }))).isEqualTo(AuthReason.TOKEN_IAT_IN_THE_FUTURE);
    }

    @Test
    void aTokenWithoutSubjectIsRefused() throws Exception {
        assertThat(reason(gatehouse, token(c -> c.remove("sub")))).isEqualTo(AuthReason.TOKEN_VERIFICATION_FAILED);
        assertThat(reason(gatehouse, token(c -> c.put("sub", "")))).isEqualTo(AuthReason.TOKEN_VERIFICATION_FAILED);
    }

    @Test
    void aTimeClaimThatIsNotANumberIsInvalid() throws Exception {
        assertThat(reason(gatehouse, token(c -> c.put("exp", "tomorrow")))).isEqualTo(AuthReason.TOKEN_INVALID);
    }

    @Test
    void aRememberedTokenStillExpires() throws Exception {
        // Verified tokens are cached; the cache must not outlive the token's own expiry (plus leeway).
        String token = token(c -> { });
        assertThat(reason(gatehouse, token)).isNull();
        clock.advance(Duration.ofSeconds(64));
        assertThat(reason(gatehouse, token)).isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reason(gatehouse, token)).isEqualTo(AuthReason.TOKEN_EXPIRED);
    }

    @Test
    void duplicateClaimNamesMakeTheTokenInvalid() throws Exception {
        // RFC 7519 §4: a parser that kept the last "sub" would let a signer's earlier "sub" be overridden unseen.
        long now = now();
        String payload = "{\"iss\":\"" + Jws.ISSUER + "\",\"sub\":\"user_1\",\"sub\":\"admin\",\"aud\":\"" + Jws.AUDIENCE
                + "\",\"exp\":" + (now + 60) + "}";
        String token = Jws.token("{\"alg\":\"ES256\",\"kid\":\"k1\"}", payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Jws.es256(key.getPrivate()));
        assertThat(reason(gatehouse, token)).isEqualTo(AuthReason.TOKEN_INVALID);
    }

    @Test
    void aPayloadInUtf16IsInvalid() throws Exception {
        String json = com.nimbusds.jose.util.JSONObjectUtils.toJSONString(Jws.claims(clock.instant()));
        String token = Jws.token("{\"alg\":\"ES256\",\"kid\":\"k1\"}", json.getBytes(java.nio.charset.StandardCharsets.UTF_16),
                Jws.es256(key.getPrivate()));
        assertThat(reason(gatehouse, token)).isEqualTo(AuthReason.TOKEN_INVALID);
    }
}
