package dev.gatehouse.server.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.access.Membership;
import dev.gatehouse.core.tokens.TemplateContext;
import dev.gatehouse.core.tokens.TokenTemplate;
import dev.gatehouse.server.keys.SigningKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs per-service tokens: the standard claims ({@code iss}, {@code sub}, {@code aud}, {@code exp}, {@code iat},
 * {@code nbf}, {@code jti}, {@code sid}, {@code azp}, {@code org}, {@code roles}) plus the template's own, with
 * the current signing key and an explicit type {@code at+jwt} (RFC 9068), so a service cannot mistake an ID
 * token for one of these.
 */
public final class TokenMinter {
    public static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

    private final SigningKeys keys;
    private final String issuer;
    private final String authorizedParty;
    private final Clock clock;
    private final SecureRandom random;

    /** A signed token and when it expires. */
    public record Minted(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Minted[expiresAt=" + expiresAt + "]";
        }
    }

    public TokenMinter(SigningKeys keys, String issuer, String authorizedParty, Clock clock, SecureRandom random) {
        this.keys = keys;
        this.issuer = issuer;
        this.authorizedParty = authorizedParty;
        this.clock = clock;
        this.random = random;
    }

    public String issuer() {
        return issuer;
    }

    public Minted mint(Caller caller, TokenTemplate template) {
        Instant now = clock.instant();
        Instant exp = now.plus(template.lifetime());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        template.evaluate(context(caller)).forEach(claims::claim);
        claims.issuer(issuer)
                .subject(caller.user().id())
                .audience(template.audience())
                .expirationTime(Date.from(exp))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .jwtID(jti())
                .claim("azp", authorizedParty)
                .claim("roles", new ArrayList<>(caller.subject().roles()));
        if (caller.sessionId() != null) {
            claims.claim("sid", caller.sessionId());
        }
        caller.subject().activeOrganization().ifPresent(org -> claims.claim("org", orgClaim(org)));
        SigningKeys.Current key = keys.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.keyId()).type(TYPE).build(), claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return new Minted(jwt.serialize(), exp);
    }

    private static Map<String, Object> orgClaim(Membership org) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", org.id());
        out.put("slug", org.slug());
        out.put("role", org.role());
        out.put("permissions", new ArrayList<>(org.permissions()));
        return out;
    }

    private String jti() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Placeholder values read straight from the caller; nothing is copied up front. */
    static TemplateContext context(Caller caller) {
        return path -> {
            switch (path[0]) {
                case "user":
                    return userValue(caller, path);
                case "org":
                    return caller.subject().activeOrganization().map(org -> orgValue(org, path[1])).orElse(null);
                case "session":
                    return caller.sessionId();
                default:
                    return null;
            }
        };
    }

    private static Object userValue(Caller caller, String[] path) {
        switch (path[1]) {
            case "id": return caller.user().id();
            case "email": return caller.user().email();
            case "name": return caller.user().name();
            case "picture": return caller.user().picture();
            case "public_metadata":
                Object v = caller.user().publicMetadata();
                for (int i = 2; i < path.length && v != null; i++) {
                    v = v instanceof Map<?, ?> m ? m.get(path[i]) : null;
                }
                return v;
            default: return null;
        }
    }

    private static Object orgValue(Membership org, String field) {
        switch (field) {
            case "id": return org.id();
            case "slug": return org.slug();
            case "name": return org.name();
            case "role": return org.role();
            case "permissions": return List.copyOf(org.permissions());
            default: return null;
        }
    }
}
