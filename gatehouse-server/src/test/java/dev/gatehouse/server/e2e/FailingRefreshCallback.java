package dev.gatehouse.server.e2e;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenRequest;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * The claims of one signed-in user at mock-oauth2-server, with a switch that makes the provider refuse that user's
 * next refresh. mock-oauth2-server keeps the callback a session signed in with and consults it, first of all by
 * asking its issuer id, on every refresh of that session's refresh token; throwing its {@link OAuth2Exception}
 * there makes the real token endpoint answer with that error (status and JSON body) before it rotates the refresh
 * token, so the grant stays usable once the switch is off again. ({@code MockOAuth2Server.enqueueResponse} cannot
 * do this: in 6.0.2 it only throws {@code UnsupportedOperationException}.)
 */
final class FailingRefreshCallback implements OAuth2TokenCallback {
    enum Failure { NONE, INVALID_GRANT, UNAVAILABLE }

    private final DefaultOAuth2TokenCallback claims;
    private volatile Failure failure = Failure.NONE;

    FailingRefreshCallback(String subject, long expiresInSeconds) {
        this.claims = new DefaultOAuth2TokenCallback(GatewayHarness.ISSUER_ID, subject, "JWT", List.of(GatewayHarness.CLIENT_ID),
                Map.of("email", subject + "@example.com", "name", subject), expiresInSeconds);
    }

    void fail(Failure next) {
        failure = next;
    }

    /** Runs the real sign-in in a new browser with these claims. */
    Browser signIn(GatewayHarness h) {
        h.provider.enqueueCallback(this);
        Browser browser = h.browser();
        Browser.Response end = browser.navigateFollowing("/auth/login?returnTo=/");
        if (browser.cookie(h.cookieName()) == null) {
            throw new AssertionError("sign-in failed: " + end.status() + " " + end.body());
        }
        return browser;
    }

    @Override
    public String issuerId() {
        switch (failure) {
            case INVALID_GRANT:
                throw new OAuth2Exception(new ErrorObject("invalid_grant", "refresh token revoked", 400), "refresh token revoked");
            case UNAVAILABLE:
                throw new OAuth2Exception(new ErrorObject("temporarily_unavailable", "try later", 503), "try later");
            default:
                return claims.issuerId();
        }
    }

    @Override
    public String subject(TokenRequest request) {
        return claims.subject(request);
    }

    @Override
    public String typeHeader(TokenRequest request) {
        return claims.typeHeader(request);
    }

    @Override
    public List<String> audience(TokenRequest request) {
        return claims.audience(request);
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest request) {
        return claims.addClaims(request);
    }

    @Override
    public long tokenExpiry() {
        return claims.tokenExpiry();
    }
}
