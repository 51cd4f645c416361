package dev.gatehouse.identity.provider;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs the provider's JWTs with the current key (rotated first when it has signed for its period) and verifies its own tokens when they come back (access
 * tokens at userinfo and revocation, ID tokens as logout hints). Access tokens are typed {@code at+jwt}
 * (RFC 9068), logout tokens {@code logout+jwt}, ID tokens {@code JWT}. Thread-safe.
 */
final class TokenMinter {
    static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    static final JOSEObjectType LOGOUT_TOKEN = new JOSEObjectType("logout+jwt");
    private static final String BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";

    private final URI issuer;
    private final KeyRotation rotation;
    private final ProviderKeys keys;
    private final Clock clock;
    private final SecureRandom random;

    TokenMinter(URI issuer, KeyRotation rotation, Clock clock, SecureRandom random) {
        this.issuer = issuer;
        this.rotation = rotation;
        this.keys = rotation.keys();
        this.clock = clock;
        this.random = random;
    }

    String idToken(Grant grant, Map<String, Object> userClaims, Duration lifetime, boolean withNonce) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder b = userTokenClaims(grant, userClaims, now, lifetime);
        if (withNonce && grant.nonce() != null) {
            b.claim("nonce", grant.nonce());
        }
        return sign(JOSEObjectType.JWT, b.build());
    }

    String accessToken(Grant grant, Map<String, Object> userClaims, Duration lifetime) {
        return accessToken(grant, userClaims, lifetime, randomId());
    }

    /** An access token with the given {@code jti}, so the caller can revoke it later without keeping the token. */
    String accessToken(Grant grant, Map<String, Object> userClaims, Duration lifetime, String jti) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder b = userTokenClaims(grant, userClaims, now, lifetime)
                .jwtID(jti)
                .claim("client_id", grant.clientId())
                .claim("scope", grant.scope());
        return sign(ACCESS_TOKEN, b.build());
    }

    /** A token a service client gets for itself: {@code sub} is its client id, no user claims. */
    String clientAccessToken(String clientId, String scope, Duration lifetime) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer(issuer.toString())
                .subject(clientId)
                .audience(clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(randomId())
                .claim("client_id", clientId)
                .claim("azp", clientId);
        if (scope != null && !scope.isEmpty()) {
            b.claim("scope", scope);
        }
        return sign(ACCESS_TOKEN, b.build());
    }

    /** An OpenID Back-Channel Logout 1.0 logout token: {@code sid} and {@code sub}, the event, never a nonce. */
    String logoutToken(String clientId, String subject, String sessionId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer.toString())
                .subject(subject)
                .audience(clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(2))))
                .jwtID(randomId())
                .claim("sid", sessionId)
                .claim("events", Map.of(BACKCHANNEL_EVENT, Map.of()))
                .build();
        return sign(LOGOUT_TOKEN, claims);
    }

    /**
     * The claims of a token this provider signed, of type {@code type}, with our issuer. {@code requireUnexpired}
     * false accepts an expired token (an ID token hint at end-session may have expired). Empty when invalid.
     */
    Optional<JWTClaimsSet> verify(String token, JOSEObjectType type, boolean requireUnexpired) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        JWKSet set = new JWKSet(List.copyOf(keys.all())).toPublicJWKSet();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(set)));
        processor.setJWTClaimsSetVerifier((claims, context) -> {
        });
        try {
            JWTClaimsSet claims = processor.process(token, null);
            if (!issuer.toString().equals(claims.getIssuer()) || claims.getExpirationTime() == null) {
                return Optional.empty();
            }
            if (requireUnexpired && !claims.getExpirationTime().toInstant().isAfter(clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
    }

    private JWTClaimsSet.Builder userTokenClaims(Grant grant, Map<String, Object> userClaims, Instant now, Duration lifetime) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        userClaims.forEach(b::claim);
        return b.issuer(issuer.toString())
                .subject(grant.userId().value())
                .audience(grant.clientId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("auth_time", grant.authTime().getEpochSecond())
                .claim("sid", grant.sessionId())
                .claim("azp", grant.clientId());
    }

    private String sign(JOSEObjectType type, JWTClaimsSet claims) {
        ECKey key = rotation.signingKey();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(type).keyID(key.getKeyID()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with key " + key.getKeyID(), e);
        }
        return jwt.serialize();
    }

    private String randomId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Base64URL.encode(id).toString();
    }
}
