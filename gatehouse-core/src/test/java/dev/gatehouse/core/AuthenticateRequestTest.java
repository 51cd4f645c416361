package dev.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticateRequestTest {
    private final KeyPair key = Jws.ec("secp256r1");
    private final TestClock clock = TestClock.atWholeSecond();
    private final Gatehouse gatehouse = Gatehouse.builder().issuer(Jws.ISSUER).audience(Jws.AUDIENCE)
            .publicKeyPem(Jws.pem(key.getPublic())).clock(clock).build();

    private String token(Map<String, Object> extra) {
        Map<String, Object> claims = Jws.claims(clock.instant());
        claims.putAll(extra);
        return Jws.token(Jws.header("ES256", "k1"), claims, Jws.es256(key.getPrivate()));
    }

    @Test
    void aRequestWithoutATokenIsSignedOutWithClerksReason() throws Exception {
        RequestState state = gatehouse.authenticateRequest(AuthRequest.of(Map.of(), Map.of()));
        assertThat(state.status()).isEqualTo("signed-out");
        assertThat(state.isSignedIn()).isFalse();
        assertThat(state.reason().value()).isEqualTo("session-token-missing");
        assertThat(state.toAuth()).isSameAs(Auth.SIGNED_OUT);
        assertThat(state.toAuth().isSignedIn()).isFalse();
    }

    @Test
    void aValidBearerTokenIsSignedInWithEveryAuthField() throws Exception {
        String token = token(Map.of("sid", "sess_1", "roles", List.of("staff"), "plan", "pro",
                "org", Map.of("id", "org_1", "slug", "acme", "role", "admin", "permissions", List.of("org:billing:read", "invoices:create"))));
        RequestState state = gatehouse.authenticateRequest(AuthRequest.bearer(token));
        assertThat(state.status()).isEqualTo("signed-in");
        assertThat(state.reason()).isNull();
        Auth auth = state.toAuth();
        assertThat(auth.isSignedIn()).isTrue();
        assertThat(auth.userId()).isEqualTo("user_1");
        assertThat(auth.sessionId()).isEqualTo("sess_1");
        assertThat(auth.orgId()).isEqualTo("org_1");
        assertThat(auth.orgSlug()).isEqualTo("acme");
        assertThat(auth.orgRole()).isEqualTo("org:admin");
        assertThat(auth.orgPermissions()).containsExactly("org:billing:read", "org:invoices:create");
        assertThat(auth.roles()).containsExactly("staff");
        assertThat(auth.claims()).containsEntry("plan", "pro").containsEntry("iss", Jws.ISSUER).containsKey("exp");
        assertThatThrownBy(() -> auth.claims().put("sub", "someone_else")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anInvalidTokenIsSignedOutWithTheReasonAndVerifyTokenThrowsIt() throws Exception {
        String foreign = token(Map.of("aud", List.of("orders-api")));
        RequestState state = gatehouse.authenticateRequest(AuthRequest.bearer(foreign));
        assertThat(state).isInstanceOf(RequestState.SignedOut.class);
        assertThat(state.reason()).isEqualTo(AuthReason.TOKEN_INVALID_AUDIENCE);
        assertThat(((RequestState.SignedOut) state).message()).doesNotContain(foreign);
        assertThat(state.toAuth().has(Check.globalRole("staff"))).isFalse();
        assertThatThrownBy(() -> gatehouse.verifyToken(foreign)).isInstanceOf(InvalidTokenException.class)
                .satisfies(e -> assertThat(((InvalidTokenException) e).reason()).isEqualTo(AuthReason.TOKEN_INVALID_AUDIENCE));
    }

    @Test
    void theSessionCookieIsReadWhenThereIsNoAuthorizationHeader() throws Exception {
        RequestState state = gatehouse.authenticateRequest(AuthRequest.of(Map.of(), Map.of("__session", token(Map.of()))));
        assertThat(state.isSignedIn()).isTrue();
    }

    @Test
    void theHeaderWinsOverTheCookieEvenWhenTheHeaderTokenIsBad() throws Exception {
        // Clerk's rule: a header token decides alone, so a valid cookie cannot rescue (or mask) a bad header token.
        RequestState state = gatehouse.authenticateRequest(AuthRequest.of(
                Map.of("Authorization", "Bearer not-a-jwt"), Map.of("__session", token(Map.of()))));
        assertThat(state.reason()).isEqualTo(AuthReason.TOKEN_INVALID);
        RequestState good = gatehouse.authenticateRequest(AuthRequest.of(
                Map.of("authorization", "Bearer " + token(Map.of("sub", "header_user"))), Map.of("__session", "garbage")));
        assertThat(good.toAuth().userId()).isEqualTo("header_user");
    }

    @Test
    void anotherAuthorizationSchemeIsNotReadAsAToken() throws Exception {
        RequestState state = gatehouse.authenticateRequest(AuthRequest.of(Map.of("Authorization", "Basic " + token(Map.of())), Map.of()));
        assertThat(state.reason()).isEqualTo(AuthReason.SESSION_TOKEN_MISSING);
        RequestState empty = gatehouse.authenticateRequest(AuthRequest.of(Map.of("Authorization", "Bearer   "), Map.of()));
        assertThat(empty.reason()).isEqualTo(AuthReason.SESSION_TOKEN_MISSING);
    }

    @Test
    void theCookieCanBeRenamedOrTurnedOff() throws Exception {
        Gatehouse.Builder b = Gatehouse.builder().issuer(Jws.ISSUER).audience(Jws.AUDIENCE).publicKeyPem(Jws.pem(key.getPublic())).clock(clock);
        Gatehouse headerOnly = b.sessionCookie(null).build();
        assertThat(headerOnly.authenticateRequest(AuthRequest.of(Map.of(), Map.of("__session", token(Map.of())))).reason())
                .isEqualTo(AuthReason.SESSION_TOKEN_MISSING);
        Gatehouse renamed = b.sessionCookie("svc_token").build();
        assertThat(renamed.authenticateRequest(AuthRequest.of(Map.of(), Map.of("svc_token", token(Map.of())))).isSignedIn()).isTrue();
    }

    @Test
    void reasonStringsAreClerksWhereClerkHasThem() {
        // Services moving between Clerk and Gatehouse keep their log queries and docs: the strings must not drift.
        assertThat(Arrays.stream(AuthReason.values()).map(AuthReason::value)).containsExactly(
                "session-token-missing", "token-invalid", "token-invalid-algorithm", "token-invalid-signature",
                "token-expired", "token-not-active-yet", "token-iat-in-the-future", "token-invalid-authorized-parties",
                "token-invalid-issuer", "token-invalid-audience", "token-verification-failed", "jwk-kid-mismatch",
                "jwk-remote-failed-to-load");
        assertThat(AuthReason.TOKEN_EXPIRED.toString()).isEqualTo("token-expired");
    }
}
