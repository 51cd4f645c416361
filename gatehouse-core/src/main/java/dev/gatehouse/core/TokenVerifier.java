package dev.gatehouse.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One verification, one noun per step: parse, check the header (algorithm allowlist, type, critical headers),
 * select the key, verify the signature, and only then check the claims ({@code iss}, {@code aud}, {@code azp},
 * {@code exp}, {@code nbf}, {@code iat}, {@code sub}). A successful result is remembered until the token
 * expires, so a service that sees the same token again pays one map lookup.
 */
final class TokenVerifier {
    private static final Set<JOSEObjectType> TYPES = Set.of(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"));
    static final int CACHE_LIMIT = 10_000;

    private final String issuer;
    private final Set<String> audiences;
    private final Set<String> authorizedParties;
    private final Duration leeway;
    private final Set<JWSAlgorithm> algorithms;
    private final KeySource keys;
    private final Clock clock;
    private final Map<VerifierKey, JWSVerifier> verifiers = new ConcurrentHashMap<>();
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    record Verified(Auth auth, Instant expiresAt) {
    }

    /** By key material, not by kid: an issuer may publish a new key under an old kid, and the old key must go. */
    private record VerifierKey(JWK key, JWSAlgorithm alg) {
    }

    TokenVerifier(String issuer, Set<String> audiences, Set<String> authorizedParties, Duration leeway,
            Set<JWSAlgorithm> algorithms, KeySource keys, Clock clock) {
        this.issuer = issuer;
        this.audiences = audiences;
        this.authorizedParties = authorizedParties;
        this.leeway = leeway;
        this.algorithms = algorithms;
        this.keys = keys;
        this.clock = clock;
    }

    Auth verify(String token) throws InvalidTokenException, KeysUnavailableException {
        Verified known = verified.get(token);
        Instant now = clock.instant();
        if (known != null) {
            if (known.expiresAt().plus(leeway).isAfter(now)) {
                return known.auth();
            }
            verified.remove(token);
        }
        Verified v = verifyFully(token, now);
        if (verified.size() >= CACHE_LIMIT) {
            verified.clear();
        }
        verified.put(token, v);
        return v.auth();
    }

    private Verified verifyFully(String token, Instant now) throws InvalidTokenException, KeysUnavailableException {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (java.text.ParseException e) {
            throw invalid(AuthReason.TOKEN_INVALID, "The token is not a signed JWT.");
        }
        JWSHeader header = jwt.getHeader();
        if (!algorithms.contains(header.getAlgorithm())) {
            throw invalid(AuthReason.TOKEN_INVALID_ALGORITHM, "The token's algorithm is not allowed.");
        }
        if (header.getType() != null && !TYPES.contains(header.getType())) {
            throw invalid(AuthReason.TOKEN_INVALID, "The token's type is not a JWT access token.");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw invalid(AuthReason.TOKEN_INVALID, "The token has critical header parameters this verifier does not understand.");
        }
        JWK key = keys.key(header.getKeyID());
        try {
            if (!jwt.verify(verifier(key, header.getAlgorithm()))) {
                throw invalid(AuthReason.TOKEN_INVALID_SIGNATURE, "The token's signature is not valid.");
            }
        } catch (JOSEException e) {
            throw invalid(AuthReason.TOKEN_VERIFICATION_FAILED, "The token's signature could not be checked.");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw invalid(AuthReason.TOKEN_INVALID, "The token's claims are not valid JSON.");
        }
        checkClaims(claims, now);
        return new Verified(ClaimsReader.toAuth(claims.getClaims()), claims.getExpirationTime().toInstant());
    }

    private void checkClaims(JWTClaimsSet claims, Instant now) throws InvalidTokenException {
        if (!issuer.equals(claims.getIssuer())) {
            throw invalid(AuthReason.TOKEN_INVALID_ISSUER, "The token was issued by someone else.");
        }
        if (!audiences.isEmpty()) {
            List<String> aud = claims.getAudience();
            if (aud == null || aud.stream().noneMatch(audiences::contains)) {
                throw invalid(AuthReason.TOKEN_INVALID_AUDIENCE, "The token was not issued for this service.");
            }
        }
        if (!authorizedParties.isEmpty()) {
            Object azp = claims.getClaim("azp");
            if (!(azp instanceof String s) || !authorizedParties.contains(s)) {
                throw invalid(AuthReason.TOKEN_INVALID_AUTHORIZED_PARTIES, "The token's authorized party is not allowed.");
            }
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw invalid(AuthReason.TOKEN_INVALID, "The token has no expiry.");
        }
        if (!exp.toInstant().plus(leeway).isAfter(now)) {
            throw invalid(AuthReason.TOKEN_EXPIRED, "The token has expired.");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(leeway))) {
            throw invalid(AuthReason.TOKEN_NOT_ACTIVE_YET, "The token is not valid yet.");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(leeway))) {
            throw invalid(AuthReason.TOKEN_IAT_IN_THE_FUTURE, "The token was issued in the future.");
        }
        if (claims.getSubject() == null || claims.getSubject().isEmpty()) {
            throw invalid(AuthReason.TOKEN_VERIFICATION_FAILED, "The token names no subject.");
        }
    }

    /** A verifier for this key and algorithm, made once per key; a key of the wrong family is refused. */
    private JWSVerifier verifier(JWK key, JWSAlgorithm alg) throws InvalidTokenException, JOSEException {
        VerifierKey cacheKey = new VerifierKey(key, alg);
        JWSVerifier v = verifiers.get(cacheKey);
        if (v != null) {
            return v;
        }
        if (JWSAlgorithm.Family.EC.contains(alg) && key instanceof ECKey ec
                && com.nimbusds.jose.jwk.Curve.forJWSAlgorithm(alg).contains(ec.getCurve())) {
            v = new ECDSAVerifier(ec);
        } else if (JWSAlgorithm.Family.RSA.contains(alg) && key instanceof RSAKey rsa) {
            v = new RSASSAVerifier(rsa);
        } else if ((alg.equals(JWSAlgorithm.EdDSA) || alg.equals(JWSAlgorithm.Ed25519)) && key instanceof OctetKeyPair okp
                && com.nimbusds.jose.jwk.Curve.Ed25519.equals(okp.getCurve())) {
            v = new Ed25519(okp);
        } else {
            throw invalid(AuthReason.TOKEN_INVALID_ALGORITHM, "The token's algorithm does not fit its key.");
        }
        if (verifiers.size() > 64) {
            verifiers.clear();
        }
        verifiers.put(cacheKey, v);
        return v;
    }

    private static InvalidTokenException invalid(AuthReason reason, String message) {
        return new InvalidTokenException(reason, message);
    }
}
