package dev.gatehouse.server.login;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import dev.gatehouse.server.session.Sessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect Back-Channel Logout 1.0, relying-party side. A logout token is accepted only when, in the
 * spec's order: it is a JWT signed by the provider (asymmetric algorithms, the provider's JWKS), {@code iss} is
 * the provider, {@code aud} holds our client id, {@code iat} is within {@link #IAT_WINDOW} of now, it carries the
 * back-channel {@code events} member, it has {@code sid} or {@code sub}, it has no {@code nonce}, and its
 * {@code jti} was not seen before. Then every matching session ends (with its cached tokens and live connections).
 */
public final class BackchannelLogout {
    private static final Logger LOG = LoggerFactory.getLogger(BackchannelLogout.class);
    static final Duration IAT_WINDOW = Duration.ofMinutes(5);

    private final OidcClient oidc;
    private final Sessions sessions;
    private final Clock clock;
    private volatile LogoutTokenValidator validator;
    private final Cache<String, Boolean> seen = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(IAT_WINDOW.multipliedBy(2))
            .build();

    public BackchannelLogout(OidcClient oidc, Sessions sessions, Clock clock) {
        this.oidc = oidc;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Completes with the number of sessions ended, or exceptionally with a 400 {@link LoginException}. */
    public CompletionStage<Integer> handle(String logoutToken) {
        if (logoutToken == null || logoutToken.isBlank()) {
            return CompletableFuture.failedFuture(LoginException.badRequest("invalid_request", "logout_token is missing"));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return validate(logoutToken);
            } catch (LoginException e) {
                throw new CompletionException(e);
            }
        }, oidc.executor()).thenCompose(claims -> sessions.endByProvider(
                claims.getSubject() == null ? null : claims.getSubject().getValue(),
                claims.getSessionID() == null ? null : claims.getSessionID().getValue()));
    }

    private LogoutTokenClaimsSet validate(String token) throws LoginException {
        LogoutTokenClaimsSet claims;
        try {
            claims = validator().validate(JWTParser.parse(token));
        } catch (LoginException e) {
            throw e;
        } catch (Exception e) {
            LOG.info("Back-channel logout token rejected: {}", e.getMessage());
            throw LoginException.badRequest("invalid_request", "The logout token is not valid.");
        }
        Instant iat = claims.getIssueTime().toInstant();
        Instant now = clock.instant();
        if (iat.isBefore(now.minus(IAT_WINDOW)) || iat.isAfter(now.plus(oidc.config().clockSkew()))) {
            throw LoginException.badRequest("invalid_request", "The logout token was issued too long ago or in the future.");
        }
        String jti = claims.getJWTID() == null ? null : claims.getJWTID().getValue();
        if (jti == null) {
            throw LoginException.badRequest("invalid_request", "The logout token has no jti.");
        }
        if (seen.asMap().putIfAbsent(jti, Boolean.TRUE) != null) {
            throw LoginException.badRequest("invalid_request", "The logout token was already used.");
        }
        return claims;
    }

    private LogoutTokenValidator validator() throws LoginException {
        LogoutTokenValidator v = validator;
        if (v == null) {
            OidcClient.Provider p = oidc.providerBlocking();
            // Typing (logout+jwt) is not required: Keycloak and others send plain JWTs too; events and nonce are checked.
            v = new LogoutTokenValidator(p.metadata().getIssuer(), new ClientID(oidc.config().clientId()), false,
                    new JWSVerificationKeySelector<>(p.algorithms(), p.keys()), null);
            v.setMaxClockSkew((int) oidc.config().clockSkew().toSeconds());
            validator = v;
        }
        return v;
    }
}
