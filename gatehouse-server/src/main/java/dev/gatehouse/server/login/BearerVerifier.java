package dev.gatehouse.server.login;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.server.session.SessionCookie;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Verifies {@code Authorization: Bearer} access tokens that the configured provider issued to mobile apps and
 * scripts: signature against the provider's JWKS (asymmetric algorithms only), exact issuer, an audience from
 * {@code identity.bearer_audiences}, {@code exp} required; ID tokens (which carry {@code nonce}, {@code at_hash} or
 * {@code c_hash}) are refused even though their audience is the client id. A verified token is remembered (by its hash) until it
 * expires, so a client's repeated calls cost one hash lookup. Failures are a 401, never a 503, unless the keys
 * cannot be fetched.
 */
public final class BearerVerifier {
    /** Claims only ID tokens carry (OpenID Connect Core §2, §3.1.3.6, §3.3.2.11). */
    private static final List<String> ID_TOKEN_ONLY = List.of("nonce", "at_hash", "c_hash");

    private final OidcClient oidc;
    private final ClaimsMapping claims;
    private final List<String> audiences;
    private final Clock clock;
    private volatile DefaultJWTProcessor<SecurityContext> processor;
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfter(new Expiry<String, Verified>() {
                @Override
                public long expireAfterCreate(String key, Verified value, long currentTime) {
                    return Math.max(0, java.time.Duration.between(Instant.now(), value.expiresAt()).toNanos());
                }

                @Override
                public long expireAfterUpdate(String key, Verified value, long currentTime, long currentDuration) {
                    return currentDuration;
                }

                @Override
                public long expireAfterRead(String key, Verified value, long currentTime, long currentDuration) {
                    return currentDuration;
                }
            })
            .build();

    /** A verified token: who it names and until when. */
    public record Verified(ClaimsMapping.Mapped identity, Instant expiresAt, String cacheKey) {
    }

    public BearerVerifier(OidcClient oidc, ClaimsMapping claims, List<String> audiences, Clock clock) {
        this.oidc = oidc;
        this.claims = claims;
        this.audiences = audiences;
        this.clock = clock;
    }

    /** Completes with the identity, or exceptionally with a {@link LoginException} (401 invalid, 503 keys unavailable). */
    public CompletionStage<Verified> verify(String token) {
        String key = SessionCookie.hash(token);
        Verified known = verified.getIfPresent(key);
        if (known != null && known.expiresAt().isAfter(clock.instant())) {
            return CompletableFuture.completedFuture(known);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                JWTClaimsSet set = processor().process(token, null);
                Map<String, Object> all = set.getClaims();
                if (ID_TOKEN_ONLY.stream().anyMatch(all::containsKey)) {
                    // An ID token is addressed to this client too, but it proves a sign-in, not a grant: and the
                    // ended session's ID token is handed to the browser as id_token_hint at logout.
                    throw new LoginException(401, "token_invalid", "An ID token is not an access token.");
                }
                Verified v = new Verified(claims.map(all, Map.of()), set.getExpirationTime().toInstant(), "bearer:" + key);
                verified.put(key, v);
                return v;
            } catch (LoginException e) {
                throw new java.util.concurrent.CompletionException(e);
            } catch (com.nimbusds.jose.RemoteKeySourceException e) {
                throw new java.util.concurrent.CompletionException(LoginException.providerUnavailable());
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(new LoginException(401, "token_invalid", "The bearer token is not valid."));
            }
        }, oidc.executor());
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws LoginException {
        DefaultJWTProcessor<SecurityContext> p = processor;
        if (p != null) {
            return p;
        }
        OidcClient.Provider provider = oidc.providerBlocking();
        p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(provider.algorithms(), provider.keys()));
        DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier = new DefaultJWTClaimsVerifier<>(
                new HashSet<>(audiences),
                new JWTClaimsSet.Builder().issuer(provider.metadata().getIssuer().getValue()).build(),
                new HashSet<>(Set.of("sub", "exp", "iss", "aud")),
                null);
        claimsVerifier.setMaxClockSkew((int) oidc.config().clockSkew().toSeconds());
        p.setJWTClaimsSetVerifier(claimsVerifier);
        processor = p;
        return p;
    }
}
