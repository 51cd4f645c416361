package dev.gatehouse.server.login;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.gatehouse.server.metrics.GatewayMetrics;
import dev.gatehouse.server.session.ProviderTokens;
import dev.gatehouse.server.session.SessionCookie;
import dev.gatehouse.server.session.Sessions;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two halves of a sign-in: {@link #start} builds the authorization request and remembers the transaction;
 * {@link #complete} checks the callback against it, exchanges the code, validates the ID token and creates a
 * session with a new id. Failures complete exceptionally with a {@link LoginException}.
 */
public final class LoginFlow {
    private static final Logger LOG = LoggerFactory.getLogger(LoginFlow.class);

    private final OidcClient oidc;
    private final LoginTransactions transactions;
    private final Sessions sessions;
    private final ClaimsMapping claims;
    private final Clock clock;
    private final GatewayMetrics metrics;
    private final Scope scope;

    /** Where to send the browser, and the login cookie to set when the browser had none. */
    public record Start(String authorizationUrl, String newLoginCookie) {
    }

    /** The parameters of a callback, exactly as received. */
    public record Callback(String state, String code, String error, String iss) {
    }

    /** A signed-in browser: the new session cookie value and where to go next. */
    public record Completed(String sessionCookieValue, String returnTo) {
        @Override
        public String toString() {
            return "Completed[returnTo=" + returnTo + "]";
        }
    }

    public LoginFlow(OidcClient oidc, LoginTransactions transactions, Sessions sessions, ClaimsMapping claims, Clock clock,
            GatewayMetrics metrics) {
        this.oidc = oidc;
        this.transactions = transactions;
        this.sessions = sessions;
        this.claims = claims;
        this.clock = clock;
        this.metrics = metrics;
        this.scope = new Scope(oidc.config().scopes().toArray(new String[0]));
    }

    /**
     * Starts a sign-in. {@code loginCookie} is the browser's current login cookie, reused when well formed so
     * that sign-ins started in several tabs all complete.
     */
    public CompletableFuture<Start> start(String returnTo, String loginCookie) {
        OidcClient.Provider ready = oidc.providerIfReady();
        if (ready != null && oidc.reachableRecently()) {
            return CompletableFuture.completedFuture(start(ready, returnTo, loginCookie));
        }
        // Send no browser to a provider that does not answer: it would see a dead host instead of our 503 page.
        return CompletableFuture.supplyAsync(() -> {
            try {
                OidcClient.Provider provider = oidc.providerBlocking();
                oidc.checkReachableBlocking();
                return start(provider, returnTo, loginCookie);
            } catch (LoginException e) {
                throw new CompletionException(e);
            }
        }, oidc.executor());
    }

    private Start start(OidcClient.Provider provider, String returnTo, String loginCookie) {
        String binding = SessionCookie.wellFormed(loginCookie) ? loginCookie : sessions.cookie().newValue();
        State state = new State(32);
        Nonce nonce = new Nonce(32);
        CodeVerifier verifier = new CodeVerifier();
        transactions.put(new LoginTransaction(state.getValue(), SessionCookie.hash(binding), verifier.getValue(),
                nonce.getValue(), ReturnTo.sanitize(returnTo), clock.instant()));
        String url = new AuthenticationRequest.Builder(ResponseType.CODE, scope,
                new com.nimbusds.oauth2.sdk.id.ClientID(oidc.config().clientId()), oidc.callbackUri())
                .endpointURI(provider.metadata().getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI()
                .toString();
        return new Start(url, binding.equals(loginCookie) ? null : binding);
    }

    /** Completes a sign-in from the provider's redirect. */
    public CompletableFuture<Completed> complete(Callback callback, String loginCookie) {
        LoginTransaction tx;
        try {
            tx = checkCallback(callback, loginCookie);
        } catch (LoginException e) {
            metrics.loginFailed();
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(callback.code()),
                        oidc.callbackUri(), new CodeVerifier(tx.codeVerifier()));
                return oidc.exchangeBlocking(grant, new Nonce(tx.nonce()));
            } catch (LoginException e) {
                throw new CompletionException(e);
            }
        }, oidc.executor()).thenCompose(tokens -> {
            ClaimsMapping.Mapped mapped;
            try {
                mapped = claims.map(tokens.idTokenClaims(), tokens.accessTokenClaims());
            } catch (IllegalArgumentException e) {
                LOG.warn("Sign-in refused: {}", e.getMessage());
                throw new CompletionException(LoginException.badRequest("claims_invalid",
                        "The identity provider's ID token does not identify the user."));
            }
            Object sid = tokens.idTokenClaims().get("sid");
            return sessions.create(mapped.user(), mapped.subject(),
                    new ProviderTokens(tokens.accessToken(), tokens.accessTokenExpiresAt(), tokens.refreshToken(), tokens.idToken()),
                    String.valueOf(tokens.idTokenClaims().get("sub")), sid == null ? null : String.valueOf(sid));
        }).thenApply(created -> {
            metrics.loginSucceeded();
            return new Completed(created.cookieValue(), tx.returnTo());
        }).whenComplete((ok, error) -> {
            if (error != null) {
                metrics.loginFailed();
            }
        });
    }

    private LoginTransaction checkCallback(Callback callback, String loginCookie) throws LoginException {
        if (callback.state() == null || callback.state().isEmpty()) {
            throw LoginException.badRequest("state_missing", "The sign-in response has no state. Please sign in again.");
        }
        LoginTransaction tx = transactions.take(callback.state());
        if (tx == null) {
            throw LoginException.badRequest("state_unknown",
                    "This sign-in has expired or was already used. Please sign in again.");
        }
        if (!SessionCookie.wellFormed(loginCookie) || !SessionCookie.hash(loginCookie).equals(tx.bindingHash())) {
            throw LoginException.badRequest("state_mismatch",
                    "This sign-in was started in another browser. Please sign in again from this one.");
        }
        OidcClient.Provider provider = oidc.providerIfReady();
        String issuer = provider == null ? oidc.config().issuer().toString() : provider.metadata().getIssuer().getValue();
        if (callback.iss() != null && !callback.iss().equals(issuer)) {
            throw LoginException.badRequest("issuer_mismatch", "The sign-in response came from an unexpected issuer.");
        }
        if (callback.iss() == null && provider != null && provider.metadata().supportsAuthorizationResponseIssuerParam()) {
            throw LoginException.badRequest("issuer_missing", "The sign-in response did not name its issuer.");
        }
        if (callback.error() != null) {
            String code = callback.error().matches("[a-z_]{1,64}") ? callback.error() : "error";
            throw LoginException.badRequest("provider_error:" + code, "The identity provider did not sign you in (" + code + ").");
        }
        if (callback.code() == null || callback.code().isEmpty()) {
            throw LoginException.badRequest("code_missing", "The sign-in response has no authorization code.");
        }
        return tx;
    }
}
