package dev.gatehouse.server.login;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.gatehouse.server.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of the conversation with its OpenID provider: discovery, token requests with the
 * configured client authentication, ID-token validation, revocation and the end-session URL.
 *
 * <p>Methods named {@code ...Blocking} do network I/O and must run on the executor; the others are cheap.
 * Discovery is retried lazily (at most every {@link #RETRY_MILLIS} ms) until it succeeds, so a provider that is
 * down at start-up delays sign-ins, not the gateway. Once discovered, reachability is re-checked before a browser
 * is sent to the provider (at most every {@link #PROBE_INTERVAL} on the injected clock), so an outage shows a 503
 * page rather than a redirect to a dead host.
 */
public final class OidcClient {
    private static final Logger LOG = LoggerFactory.getLogger(OidcClient.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;
    private static final long RETRY_MILLIS = 2_000;
    private static final int PROBE_TIMEOUT_MS = 2_000;
    static final java.time.Duration PROBE_INTERVAL = java.time.Duration.ofSeconds(5);
    /** Asymmetric algorithms only: an HMAC ID token would be keyed with our client secret (Core §10.1). */
    private static final Set<JWSAlgorithm> ALLOWED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    private final GatewayConfig.Identity config;
    private final URI callbackUri;
    private final URI postLogoutUri;
    private final Executor executor;
    private final Clock clock;
    private final ClientID clientId;
    private final PrivateKeyJwtKey privateKey;
    private final Object discoveryLock = new Object();
    private volatile Provider provider;
    private volatile long lastAttempt;
    private final Object probeLock = new Object();
    private volatile Probe lastProbe;

    /** Whether the provider answered its discovery URL, and when that was asked. */
    private record Probe(boolean up, Instant at) {
    }

    /** Discovered metadata with the validator and key source built from it; built once, shared by all requests. */
    public record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator, JWKSource<SecurityContext> keys,
            Set<JWSAlgorithm> algorithms) {
    }

    private record PrivateKeyJwtKey(PrivateKey key, String keyId, JWSAlgorithm algorithm) {
    }

    /** The tokens of a successful code exchange or refresh; {@link #toString()} is redacted. */
    public record Tokens(String accessToken, Instant accessTokenExpiresAt, String refreshToken, String idToken,
            Map<String, Object> idTokenClaims, Map<String, Object> accessTokenClaims) {
        @Override
        public String toString() {
            return "Tokens[redacted]";
        }
    }

    public OidcClient(GatewayConfig.Identity config, URI publicUrl, Executor executor, Clock clock) {
        this.config = config;
        this.callbackUri = publicUrl.resolve("/auth/callback");
        this.postLogoutUri = publicUrl.resolve(config.postLogoutRedirect());
        this.executor = executor;
        this.clock = clock;
        this.clientId = new ClientID(config.clientId());
        this.privateKey = config.clientAuth() == GatewayConfig.ClientAuth.PRIVATE_KEY_JWT ? loadKey(config) : null;
    }

    public URI callbackUri() {
        return callbackUri;
    }

    public GatewayConfig.Identity config() {
        return config;
    }

    public Executor executor() {
        return executor;
    }

    /** The provider if discovery has succeeded; null otherwise (readiness uses this). */
    public Provider providerIfReady() {
        return provider;
    }

    /** Starts discovery in the background, for start-up. */
    public CompletableFuture<Provider> discover() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return providerBlocking();
            } catch (LoginException e) {
                return null;
            }
        }, executor);
    }

    public Provider providerBlocking() throws LoginException {
        Provider p = provider;
        if (p != null) {
            return p;
        }
        synchronized (discoveryLock) {
            if (provider != null) {
                return provider;
            }
            long now = System.currentTimeMillis();
            if (now - lastAttempt < RETRY_MILLIS) {
                throw LoginException.providerUnavailable();
            }
            lastAttempt = now;
            try {
                Issuer issuer = new Issuer(config.issuer());
                OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(issuer, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
                if (metadata.getCodeChallengeMethods() != null
                        && !metadata.getCodeChallengeMethods().contains(com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod.S256)) {
                    LOG.error("The provider {} does not support PKCE with S256; refusing to sign in through it", config.issuer());
                    throw new LoginException(503, "provider_unsupported",
                            "The identity provider does not support PKCE (S256), which Gatehouse requires.");
                }
                JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL())
                        .retrying(true)
                        .build();
                Set<JWSAlgorithm> algorithms = new HashSet<>(ALLOWED_ALGORITHMS);
                if (metadata.getIDTokenJWSAlgs() != null) {
                    algorithms.retainAll(metadata.getIDTokenJWSAlgs());
                }
                if (algorithms.isEmpty()) {
                    algorithms.add(JWSAlgorithm.RS256);
                }
                IDTokenValidator validator = new IDTokenValidator(issuer, clientId,
                        new JWSVerificationKeySelector<>(algorithms, keys), null);
                validator.setMaxClockSkew((int) config.clockSkew().toSeconds());
                provider = new Provider(metadata, validator, keys, Set.copyOf(algorithms));
                lastProbe = new Probe(true, clock.instant());
                LOG.info("Discovered OpenID provider {}", config.issuer());
                return provider;
            } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
                LOG.warn("OpenID provider discovery failed for {}: {}", config.issuer(), e.getClass().getSimpleName());
                throw LoginException.providerUnavailable();
            }
        }
    }

    /** True when a probe younger than {@link #PROBE_INTERVAL} found the provider up; no I/O. */
    public boolean reachableRecently() {
        Probe p = lastProbe;
        return p != null && p.up() && fresh(p);
    }

    /**
     * Fails with {@link LoginException#providerUnavailable()} unless the provider answers: reuses a probe younger
     * than {@link #PROBE_INTERVAL} (up or down), otherwise fetches the discovery document once while concurrent
     * callers wait for that answer.
     */
    public void checkReachableBlocking() throws LoginException {
        Probe p = lastProbe;
        if (p == null || !fresh(p)) {
            synchronized (probeLock) {
                p = lastProbe;
                if (p == null || !fresh(p)) {
                    p = new Probe(probe(), clock.instant());
                    lastProbe = p;
                }
            }
        }
        if (!p.up()) {
            throw LoginException.providerUnavailable();
        }
    }

    private boolean fresh(Probe p) {
        return clock.instant().isBefore(p.at().plus(PROBE_INTERVAL));
    }

    private boolean probe() {
        try {
            HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, OIDCProviderMetadata.resolveURL(new Issuer(config.issuer())));
            request.setConnectTimeout(PROBE_TIMEOUT_MS);
            request.setReadTimeout(PROBE_TIMEOUT_MS);
            int status = request.send().getStatusCode();
            if (status != 200) {
                LOG.warn("OpenID provider {} answered its discovery URL with HTTP {}", config.issuer(), status);
            }
            return status == 200;
        } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
            LOG.warn("OpenID provider {} unreachable: {}", config.issuer(), e.getClass().getSimpleName());
            return false;
        }
    }

    /** Exchanges an authorization code and validates the ID token against the transaction's nonce. */
    public Tokens exchangeBlocking(AuthorizationGrant grant, Nonce nonce) throws LoginException {
        Provider p = providerBlocking();
        TokenResponse response = send(p, grant);
        if (!response.indicatesSuccess()) {
            ErrorObject error = ((TokenErrorResponse) response).getErrorObject();
            LOG.info("Code exchange refused by the provider: {}", error.getCode());
            throw LoginException.badRequest("code_exchange_failed",
                    "The identity provider refused to complete the sign-in. Please sign in again.");
        }
        OIDCTokenResponse ok = (OIDCTokenResponse) response;
        JWT idToken = ok.getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw LoginException.badRequest("id_token_missing", "The identity provider sent no ID token.");
        }
        IDTokenClaimsSet claims = validate(p, idToken, nonce);
        return tokens(ok, ok.getOIDCTokens().getRefreshToken(), idToken.serialize(), claims.toJSONObject());
    }

    /** The outcome of a refresh: new tokens, a rejection (the grant is dead), or a failure to reach the provider. */
    public sealed interface Refresh {
        record Refreshed(Tokens tokens) implements Refresh {
        }

        record Rejected(String error) implements Refresh {
        }

        record Unavailable() implements Refresh {
        }
    }

    /**
     * Redeems a refresh token. When the provider rotates it, the new one is returned; when it sends a new ID
     * token, that is validated and must name the same subject.
     */
    public Refresh refreshBlocking(String refreshToken, String expectedSubject) {
        try {
            Provider p = providerBlocking();
            TokenResponse response = send(p, new RefreshTokenGrant(new RefreshToken(refreshToken)));
            if (!response.indicatesSuccess()) {
                ErrorObject error = ((TokenErrorResponse) response).getErrorObject();
                String code = error.getCode() == null ? "unknown" : error.getCode();
                if (error.getHTTPStatusCode() >= 500) {
                    return new Refresh.Unavailable();
                }
                return new Refresh.Rejected(code);
            }
            OIDCTokenResponse ok = (OIDCTokenResponse) response;
            RefreshToken rotated = ok.getOIDCTokens().getRefreshToken();
            JWT idToken = ok.getOIDCTokens().getIDToken();
            Map<String, Object> idClaims = Map.of();
            if (idToken != null) {
                IDTokenClaimsSet claims = validate(p, idToken, null);
                if (!claims.getSubject().getValue().equals(expectedSubject)) {
                    LOG.warn("Refreshed ID token names another subject; ending the session");
                    return new Refresh.Rejected("subject_changed");
                }
                idClaims = claims.toJSONObject();
            }
            return new Refresh.Refreshed(tokens(ok, rotated == null ? new RefreshToken(refreshToken) : rotated,
                    idToken == null ? null : idToken.serialize(), idClaims));
        } catch (LoginException e) {
            return e.status() >= 500 ? new Refresh.Unavailable() : new Refresh.Rejected(e.reason());
        }
    }

    /** An access token obtained by token exchange, and when it expires (null when the provider did not say). */
    public record Exchanged(String accessToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Exchanged[expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * RFC 8693 token exchange: trades the user's access token for one meant for {@code audience}.
     *
     * @throws LoginException 503 when the provider cannot be reached, 502 when it refuses
     */
    public Exchanged exchangeTokenBlocking(String subjectToken, String audience, String scope) throws LoginException {
        Provider p = providerBlocking();
        URI endpoint = p.metadata().getTokenEndpointURI();
        try {
            com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant grant = new com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant(
                    new BearerAccessToken(subjectToken), com.nimbusds.oauth2.sdk.token.TokenTypeURI.ACCESS_TOKEN, null, null,
                    com.nimbusds.oauth2.sdk.token.TokenTypeURI.ACCESS_TOKEN, List.of(new com.nimbusds.oauth2.sdk.id.Audience(audience)));
            HTTPRequest request = new TokenRequest(endpoint, clientAuth(endpoint, p), grant,
                    scope == null ? null : com.nimbusds.oauth2.sdk.Scope.parse(scope)).toHTTPRequest();
            timeouts(request);
            TokenResponse response = TokenResponse.parse(request.send());
            if (!response.indicatesSuccess()) {
                ErrorObject error = ((TokenErrorResponse) response).getErrorObject();
                LOG.info("Token exchange refused by the provider: {}", error.getCode());
                throw new LoginException(502, "token_exchange_failed", "The identity provider refused the token exchange.");
            }
            AccessToken at = response.toSuccessResponse().getTokens().getAccessToken();
            return new Exchanged(at.getValue(), at.getLifetime() > 0 ? clock.instant().plusSeconds(at.getLifetime()) : null);
        } catch (IOException e) {
            throw LoginException.providerUnavailable();
        } catch (ParseException e) {
            throw new LoginException(502, "provider_error", "The identity provider sent an invalid response.");
        }
    }

    /** Revokes a refresh token where the provider offers revocation; failures are logged, never thrown. */
    public void revokeBlocking(String refreshToken) {
        Provider p = provider;
        if (p == null || refreshToken == null || p.metadata().getRevocationEndpointURI() == null) {
            return;
        }
        URI endpoint = p.metadata().getRevocationEndpointURI();
        try {
            HTTPRequest request = new TokenRevocationRequest(endpoint, clientAuth(endpoint, p), new RefreshToken(refreshToken))
                    .toHTTPRequest();
            timeouts(request);
            int status = request.send().getStatusCode();
            if (status != 200) {
                LOG.info("Refresh token revocation answered HTTP {}", status);
            }
        } catch (IOException | LoginException e) {
            LOG.info("Refresh token revocation failed: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Where to send the browser after logout: the provider's end-session endpoint with {@code id_token_hint}
     * and our post-logout redirect, or the post-logout redirect itself when the provider has none.
     */
    public String endSessionUrl(String idToken) {
        Provider p = provider;
        if (p == null || p.metadata().getEndSessionEndpointURI() == null) {
            return postLogoutUri.toString();
        }
        try {
            JWT hint = idToken == null ? null : JWTParser.parse(idToken);
            return new LogoutRequest(p.metadata().getEndSessionEndpointURI(), hint, postLogoutUri, null).toURI().toString();
        } catch (java.text.ParseException e) {
            return postLogoutUri.toString();
        }
    }

    private TokenResponse send(Provider p, AuthorizationGrant grant) throws LoginException {
        URI endpoint = p.metadata().getTokenEndpointURI();
        try {
            HTTPRequest request = new TokenRequest(endpoint, clientAuth(endpoint, p), grant).toHTTPRequest();
            timeouts(request);
            TokenResponse response = OIDCTokenResponseParser.parse(request.send());
            if (response.indicatesSuccess()) {
                AccessToken at = response.toSuccessResponse().getTokens().getAccessToken();
                if (!(at instanceof BearerAccessToken)) {
                    throw LoginException.badRequest("token_type_unsupported", "The identity provider issued an unsupported token type.");
                }
            }
            return response;
        } catch (IOException e) {
            LOG.warn("Token endpoint unreachable: {}", e.getClass().getSimpleName());
            throw LoginException.providerUnavailable();
        } catch (ParseException e) {
            LOG.warn("Token endpoint sent an unparseable response");
            throw new LoginException(502, "provider_error", "The identity provider sent an invalid response.");
        }
    }

    private IDTokenClaimsSet validate(Provider p, JWT idToken, Nonce nonce) throws LoginException {
        try {
            IDTokenClaimsSet claims = p.validator().validate(idToken, nonce);
            // Core 3.1.3.7 step 3: Nimbus accepts extra audiences when azp names us; Gatehouse trusts no other audience.
            if (claims.getAudience().size() != 1) {
                throw new com.nimbusds.jwt.proc.BadJWTException("ID token audience names parties besides this client");
            }
            return claims;
        } catch (com.nimbusds.jose.proc.BadJOSEException e) {
            LOG.info("ID token rejected: {}", e.getMessage());
            throw LoginException.badRequest("id_token_invalid", "The identity provider's ID token was not valid.");
        } catch (com.nimbusds.jose.JOSEException e) {
            LOG.warn("ID token could not be checked: {}", e.getClass().getSimpleName());
            throw LoginException.providerUnavailable();
        }
    }

    private Tokens tokens(OIDCTokenResponse ok, RefreshToken refreshToken, String idToken, Map<String, Object> idClaims) {
        AccessToken at = ok.getOIDCTokens().getAccessToken();
        Map<String, Object> atClaims = Map.of();
        Instant expiresAt = null;
        try {
            JWT jwt = JWTParser.parse(at.getValue());
            // Read, not trusted for authorization: it came straight from the token endpoint we called.
            atClaims = jwt.getJWTClaimsSet().getClaims();
            if (jwt.getJWTClaimsSet().getExpirationTime() != null) {
                expiresAt = jwt.getJWTClaimsSet().getExpirationTime().toInstant();
            }
        } catch (java.text.ParseException e) {
            // an opaque access token: fine
        }
        if (at.getLifetime() > 0) {
            expiresAt = clock.instant().plusSeconds(at.getLifetime());
        }
        return new Tokens(at.getValue(), expiresAt, refreshToken == null ? null : refreshToken.getValue(), idToken,
                idClaims, atClaims);
    }

    private ClientAuthentication clientAuth(URI endpoint, Provider p) throws LoginException {
        switch (config.clientAuth()) {
            case CLIENT_SECRET_POST:
                return new ClientSecretPost(clientId, new Secret(config.clientSecret()));
            case PRIVATE_KEY_JWT:
                try {
                    // RFC 7523bis: the audience is the issuer identifier, which every provider accepts.
                    return new PrivateKeyJWT(clientId, URI.create(p.metadata().getIssuer().getValue()), privateKey.algorithm(),
                            privateKey.key(), privateKey.keyId(), null);
                } catch (com.nimbusds.jose.JOSEException e) {
                    throw new LoginException(500, "client_auth_failed", "Gatehouse could not sign its client assertion.");
                }
            default:
                return new ClientSecretBasic(clientId, new Secret(config.clientSecret()));
        }
    }

    private static void timeouts(HTTPRequest request) {
        request.setConnectTimeout(CONNECT_TIMEOUT_MS);
        request.setReadTimeout(READ_TIMEOUT_MS);
    }

    /** Reads the private_key_jwt key: a private JWK (JSON), or an unencrypted PKCS#8 PEM holding an RSA or EC key. */
    private static PrivateKeyJwtKey loadKey(GatewayConfig.Identity config) {
        try {
            String text = Files.readString(config.privateKeyFile()).trim();
            if (text.startsWith("{")) {
                JWK jwk = JWK.parse(text);
                if (jwk instanceof RSAKey rsa && rsa.isPrivate()) {
                    return new PrivateKeyJwtKey(rsa.toPrivateKey(), rsa.getKeyID(), JWSAlgorithm.RS256);
                }
                if (jwk instanceof ECKey ec && ec.isPrivate()) {
                    return new PrivateKeyJwtKey(ec.toPrivateKey(), ec.getKeyID(), ecAlgorithm(ec.getCurve()));
                }
                throw new IllegalArgumentException("identity.private_key_file: must hold an RSA or EC private key");
            }
            String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            java.security.spec.PKCS8EncodedKeySpec spec = new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(base64));
            try {
                return new PrivateKeyJwtKey(java.security.KeyFactory.getInstance("RSA").generatePrivate(spec), null, JWSAlgorithm.RS256);
            } catch (java.security.spec.InvalidKeySpecException notRsa) {
                java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) java.security.KeyFactory.getInstance("EC").generatePrivate(spec);
                return new PrivateKeyJwtKey(ec, null, ecAlgorithm(com.nimbusds.jose.jwk.Curve.forECParameterSpec(ec.getParams())));
            }
        } catch (IOException | java.text.ParseException | com.nimbusds.jose.JOSEException
                | java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("identity.private_key_file: cannot read a private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static JWSAlgorithm ecAlgorithm(com.nimbusds.jose.jwk.Curve curve) {
        if (com.nimbusds.jose.jwk.Curve.P_384.equals(curve)) {
            return JWSAlgorithm.ES384;
        }
        if (com.nimbusds.jose.jwk.Curve.P_521.equals(curve)) {
            return JWSAlgorithm.ES512;
        }
        return JWSAlgorithm.ES256;
    }
}
