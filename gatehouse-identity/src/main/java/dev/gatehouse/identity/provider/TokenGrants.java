package dev.gatehouse.identity.provider;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.gatehouse.identity.store.RefreshRotation;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token and revocation endpoints. Clients with a secret authenticate with {@code client_secret_basic} or
 * {@code client_secret_post} (compared in constant time); public clients send only {@code client_id} and rely on
 * PKCE. Codes are single use: a second redemption revokes the refresh tokens of the first. Refresh tokens rotate
 * on every use; presenting a used one revokes its family, ends the provider session and sends back-channel
 * logouts. Blocking (JDBC).
 */
final class TokenGrants {
    private static final Logger LOG = LoggerFactory.getLogger(TokenGrants.class);

    /** An authenticated client, or the error answer to send. */
    private record Authenticated(ClientRegistration client, HTTPResponse error) {
    }

    private final ProviderCore core;

    TokenGrants(ProviderCore core) {
        this.core = core;
    }

    HTTPResponse token(HTTPRequest httpRequest) {
        TokenRequest request;
        try {
            request = TokenRequest.parse(httpRequest);
        } catch (ParseException e) {
            return error(e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject());
        }
        Authenticated auth = authenticate(request.getClientAuthentication(), request.getClientID());
        if (auth.error() != null) {
            return auth.error();
        }
        ClientRegistration client = auth.client();
        AuthorizationGrant grant = request.getAuthorizationGrant();
        if (grant instanceof AuthorizationCodeGrant code) {
            return authorizationCode(client, code);
        }
        if (grant instanceof RefreshTokenGrant refresh) {
            return refresh(client, refresh, request.getScope());
        }
        if (grant instanceof ClientCredentialsGrant) {
            return clientCredentials(client, request.getScope());
        }
        return error(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
    }

    private HTTPResponse authorizationCode(ClientRegistration client, AuthorizationCodeGrant g) {
        if (!client.allows(ClientRegistration.AUTHORIZATION_CODE)) {
            return error(OAuth2Error.UNAUTHORIZED_CLIENT);
        }
        String familyId = client.allows(ClientRegistration.REFRESH_TOKEN) ? Secrets.random(core.settings.random()) : null;
        AuthorizationCodes.Entry entry = core.codes.redeem(g.getAuthorizationCode().getValue(), familyId);
        if (entry instanceof AuthorizationCodes.Redeemed redeemed) {
            LOG.warn("An authorization code of client {} was presented twice; revoking what the first use got", client.clientId());
            if (redeemed.familyId() != null) {
                core.refreshTokens.revokeFamily(redeemed.familyId(), core.clock.instant());
            }
            return invalidGrant("authorization code already used");
        }
        if (!(entry instanceof AuthorizationCodes.Issued issued)) {
            return invalidGrant("unknown or expired authorization code");
        }
        if (!issued.grant().clientId().equals(client.clientId())) {
            return invalidGrant("authorization code issued to another client");
        }
        if (g.getRedirectionURI() == null || !g.getRedirectionURI().toString().equals(issued.redirectUri().toString())) {
            return invalidGrant("redirect_uri differs from the authorization request");
        }
        if (g.getCodeVerifier() == null) {
            return invalidGrant("code_verifier is required");
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, g.getCodeVerifier()).getValue();
        if (!Secrets.same(computed, issued.codeChallenge())) {
            return invalidGrant("code_verifier does not match the code_challenge");
        }
        Grant grant = issued.grant();
        if (core.endedSessions.getIfPresent(grant.sessionId()) != null) {
            return invalidGrant("the session has ended");
        }
        return issue(client, grant, familyId, null, true);
    }

    private HTTPResponse refresh(ClientRegistration client, RefreshTokenGrant g, Scope requested) {
        if (!client.allows(ClientRegistration.REFRESH_TOKEN)) {
            return error(OAuth2Error.UNAUTHORIZED_CLIENT);
        }
        String hash = Secrets.hash(g.getRefreshToken().getValue());
        Optional<dev.gatehouse.identity.store.RefreshToken> stored = core.refreshTokens.find(hash);
        if (stored.isEmpty() || !stored.get().clientId().equals(client.clientId())) {
            return invalidGrant("unknown refresh token");
        }
        if (requested != null && !new Scope(stored.get().scope().split(" ")).containsAll(requested)) {
            return error(OAuth2Error.INVALID_SCOPE);
        }
        String next = Secrets.random(core.settings.random());
        RefreshRotation rotation = core.refreshTokens.rotate(hash, Secrets.hash(next), core.clock.instant());
        if (rotation instanceof RefreshRotation.Reused reused) {
            LOG.warn("A used refresh token of client {} was presented again: revoking its family and ending its session",
                    client.clientId());
            core.endSession(reused.token().sessionId(), reused.token().userId().value());
            return invalidGrant("refresh token already used");
        }
        if (!(rotation instanceof RefreshRotation.Rotated rotated)) {
            return invalidGrant("refresh token expired or revoked");
        }
        var t = rotated.successor();
        Grant grant = new Grant(t.clientId(), t.userId(), t.sessionId(), t.organizationId(), t.scope(), t.authTime(), null);
        return issue(client, grant, null, next, false);
    }

    private HTTPResponse clientCredentials(ClientRegistration client, Scope requested) {
        if (client.isPublic() || !client.allows(ClientRegistration.CLIENT_CREDENTIALS)) {
            return error(OAuth2Error.UNAUTHORIZED_CLIENT);
        }
        if (requested != null && !requested.isEmpty()) {
            return error(OAuth2Error.INVALID_SCOPE);
        }
        String token = core.minter.clientAccessToken(client.clientId(), null, core.settings.accessTokenLifetime());
        BearerAccessToken access = new BearerAccessToken(token, core.settings.accessTokenLifetime().toSeconds(), null);
        return new AccessTokenResponse(new Tokens(access, null)).toHTTPResponse();
    }

    /**
     * Mints the tokens of {@code grant}. A new family ({@code familyId}) stores its first refresh token; a
     * rotation passes the successor's value ({@code rotatedRefresh}), already stored by the rotation.
     */
    private HTTPResponse issue(ClientRegistration client, Grant grant, String familyId, String rotatedRefresh,
            boolean withNonce) {
        Optional<Map<String, Object>> claims = core.claims(grant.userId(), grant.organizationId());
        if (claims.isEmpty()) {
            return invalidGrant("the user no longer exists");
        }
        String accessToken = core.minter.accessToken(grant, claims.get(), core.settings.accessTokenLifetime());
        BearerAccessToken access = new BearerAccessToken(accessToken, core.settings.accessTokenLifetime().toSeconds(),
                new Scope(grant.scope().split(" ")));
        RefreshToken refresh = null;
        if (rotatedRefresh != null) {
            refresh = new RefreshToken(rotatedRefresh);
        } else if (familyId != null) {
            String value = Secrets.random(core.settings.random());
            Instant now = core.clock.instant();
            core.refreshTokens.issue(new dev.gatehouse.identity.store.RefreshToken(Secrets.hash(value), familyId,
                    client.clientId(), grant.userId(), grant.sessionId(), grant.organizationId(), grant.scope(),
                    grant.authTime(), now, now.plus(core.settings.refreshTokenLifetime()), null, null));
            refresh = new RefreshToken(value);
        }
        if (!grant.hasScope("openid")) {
            return new AccessTokenResponse(new Tokens(access, refresh)).toHTTPResponse();
        }
        String idToken = core.minter.idToken(grant, claims.get(), core.settings.accessTokenLifetime(), withNonce);
        return new OIDCTokenResponse(new OIDCTokens(idToken, access, refresh)).toHTTPResponse();
    }

    /** RFC 7009: revokes a refresh token's family or an access token; 200 even for unknown tokens. */
    HTTPResponse revoke(HTTPRequest httpRequest) {
        TokenRevocationRequest request;
        try {
            request = TokenRevocationRequest.parse(httpRequest);
        } catch (ParseException e) {
            return error(e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject());
        }
        Authenticated auth = authenticate(request.getClientAuthentication(), request.getClientID());
        if (auth.error() != null) {
            return auth.error();
        }
        String value = request.getToken().getValue();
        String clientId = auth.client().clientId();
        Optional<dev.gatehouse.identity.store.RefreshToken> refresh = core.refreshTokens.find(Secrets.hash(value));
        if (refresh.isPresent()) {
            if (refresh.get().clientId().equals(clientId)) {
                core.refreshTokens.revokeFamily(refresh.get().familyId(), core.clock.instant());
            }
        } else {
            Optional<JWTClaimsSet> access = core.minter.verify(value, TokenMinter.ACCESS_TOKEN, true);
            if (access.isPresent() && clientId.equals(access.get().getClaim("client_id")) && access.get().getJWTID() != null) {
                core.revokedAccessTokens.put(access.get().getJWTID(), Boolean.TRUE);
            }
        }
        HTTPResponse ok = new HTTPResponse(HTTPResponse.SC_OK);
        ok.setCacheControl("no-store");
        return ok;
    }

    private Authenticated authenticate(ClientAuthentication auth, ClientID declared) {
        ClientID id = auth != null ? auth.getClientID() : declared;
        Optional<ClientRegistration> client = core.client(id == null ? null : id.getValue());
        if (client.isEmpty()) {
            return new Authenticated(null, invalidClient(auth));
        }
        if (client.get().isPublic()) {
            return auth == null ? new Authenticated(client.get(), null) : new Authenticated(null, invalidClient(auth));
        }
        String secret = auth instanceof ClientSecretBasic basic ? basic.getClientSecret().getValue()
                : auth instanceof ClientSecretPost post ? post.getClientSecret().getValue() : null;
        if (!Secrets.same(secret, client.get().clientSecret())) {
            return new Authenticated(null, invalidClient(auth));
        }
        return new Authenticated(client.get(), null);
    }

    private static HTTPResponse invalidClient(ClientAuthentication auth) {
        HTTPResponse response = error(OAuth2Error.INVALID_CLIENT);
        if (auth instanceof ClientSecretBasic) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"gatehouse\"");
        }
        return response;
    }

    private static HTTPResponse invalidGrant(String description) {
        return error(OAuth2Error.INVALID_GRANT.setDescription(description));
    }

    private static HTTPResponse error(ErrorObject error) {
        return new TokenErrorResponse(error).toHTTPResponse();
    }
}
