package dev.gatehouse.server.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.access.Membership;
import dev.gatehouse.core.access.Subject;
import dev.gatehouse.core.tokens.TokenTemplate;
import dev.gatehouse.server.config.GatewayConfig.Algorithm;
import dev.gatehouse.server.e2e.MutableClock;
import dev.gatehouse.server.keys.FileSigningKeyStore;
import dev.gatehouse.server.keys.SigningKeys;
import dev.gatehouse.server.session.UserProfile;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenMinterTest {
    static final String GATEWAY = "https://app.example.test";
    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(START);
    SigningKeys keys;
    TokenMinter minter;

    static final Membership ACME = new Membership("org_acme", "acme", "ACME", "org:admin", Set.of("org:billing:read", "org:admin"));
    static final Membership GLOBEX = new Membership("org_globex", "globex", "Globex", "org:member", Set.of());

    @BeforeEach
    void setUp() throws Exception {
        keys = new SigningKeys(new FileSigningKeyStore(dir.resolve("keys.json")), Algorithm.ES256, Duration.ofHours(1),
                Duration.ofMinutes(10), clock).start();
        minter = new TokenMinter(keys, GATEWAY, GATEWAY, clock, new SecureRandom());
    }

    static Caller alice(String cacheKey, String activeOrg) {
        UserProfile user = new UserProfile("user_alice", "alice@example.com", "Alice", null, Map.of("plan", "pro"));
        Subject subject = new Subject("user_alice", Set.of("admin", "support"), List.of(ACME, GLOBEX), activeOrg);
        return new Caller(cacheKey, user, subject, "sess_public_alice");
    }

    static TokenTemplate billing(Duration lifetime) throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("email", "{{user.email}}");
        claims.put("plan", "{{user.public_metadata.plan || 'free'}}");
        claims.put("seats", "{{user.public_metadata.seats || 'unlimited'}}");
        claims.put("org_role", "{{org.role}}");
        claims.put("perms", "{{org.permissions}}");
        claims.put("session", "{{session.id}}");
        claims.put("label", "user-{{user.id}}");
        claims.put("tier", 2);
        return TokenTemplate.compile("billing", "billing-api", lifetime, claims);
    }

    @Test
    void headerIsTypedAtJwtAndNamesTheCurrentKey() throws Exception {
        SignedJWT jwt = SignedJWT.parse(minter.mint(alice("k", "org_acme"), billing(null)).token());

        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.current().keyId());
        ECKey published = (ECKey) JWKSet.parse(keys.jwksJson()).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new ECDSAVerifier(published))).isTrue();
    }

    @Test
    void standardClaimsNameTheGatewayTheUserTheServiceAndTheSession() throws Exception {
        TokenMinter.Minted minted = minter.mint(alice("k", "org_acme"), billing(Duration.ofSeconds(90)));
        JWTClaimsSet c = SignedJWT.parse(minted.token()).getJWTClaimsSet();

        assertThat(c.getIssuer()).isEqualTo(GATEWAY);
        assertThat(c.getSubject()).isEqualTo("user_alice");
        assertThat(c.getAudience()).containsExactly("billing-api");
        assertThat(c.getIssueTime().toInstant()).isEqualTo(START);
        assertThat(c.getNotBeforeTime().toInstant()).isEqualTo(START);
        assertThat(c.getExpirationTime().toInstant()).isEqualTo(START.plusSeconds(90));
        assertThat(minted.expiresAt()).isEqualTo(START.plusSeconds(90));
        assertThat(c.getStringClaim("sid")).isEqualTo("sess_public_alice");
        assertThat(c.getStringClaim("azp")).isEqualTo(GATEWAY);
        assertThat(c.getStringListClaim("roles")).containsExactlyInAnyOrder("admin", "support");
        assertThat(c.getJWTID()).isNotBlank();
        assertThat(c.getClaim("nonce")).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void activeOrganizationIsAnObjectWithIdSlugRoleAndPermissions() throws Exception {
        JWTClaimsSet c = SignedJWT.parse(minter.mint(alice("k", "org_acme"), billing(null)).token()).getJWTClaimsSet();

        Map<String, Object> org = c.getJSONObjectClaim("org");
        assertThat(org).containsEntry("id", "org_acme").containsEntry("slug", "acme").containsEntry("role", "org:admin");
        assertThat((List<Object>) org.get("permissions")).containsExactlyInAnyOrder("org:billing:read", "org:admin");
    }

    @Test
    void noActiveOrganizationMeansNoOrgClaimAndOrgPlaceholdersLeftOut() throws Exception {
        JWTClaimsSet c = SignedJWT.parse(minter.mint(alice("k", null), billing(null)).token()).getJWTClaimsSet();

        assertThat(c.getClaim("org")).isNull();
        assertThat(c.getClaims()).doesNotContainKeys("org_role", "perms");
    }

    @Test
    void templateClaimsAreFilledFromTheCaller() throws Exception {
        JWTClaimsSet c = SignedJWT.parse(minter.mint(alice("k", "org_acme"), billing(null)).token()).getJWTClaimsSet();

        assertThat(c.getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(c.getStringClaim("plan")).isEqualTo("pro");
        assertThat(c.getStringClaim("seats")).isEqualTo("unlimited");
        assertThat(c.getStringClaim("org_role")).isEqualTo("org:admin");
        assertThat(c.getStringListClaim("perms")).containsExactlyInAnyOrder("org:billing:read", "org:admin");
        assertThat(c.getStringClaim("session")).isEqualTo("sess_public_alice");
        assertThat(c.getStringClaim("label")).isEqualTo("user-user_alice");
        assertThat(c.getLongClaim("tier")).isEqualTo(2L);
    }

    @Test
    void bearerCallerGetsNoSidClaim() throws Exception {
        Caller session = alice("k", null);
        Caller bearer = new Caller("bearer:x", session.user(), session.subject(), null);
        JWTClaimsSet c = SignedJWT.parse(minter.mint(bearer, billing(null)).token()).getJWTClaimsSet();

        assertThat(c.getClaim("sid")).isNull();
        assertThat(c.getSubject()).isEqualTo("user_alice");
    }

    @Test
    void everyMintHasAFreshUnguessableJti() throws Exception {
        TokenTemplate t = billing(null);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(SignedJWT.parse(minter.mint(alice("k", null), t).token()).getJWTClaimsSet().getJWTID());
        }
        assertThat(ids).hasSize(200);
        assertThat(ids).allSatisfy(id -> assertThat(id.length()).isGreaterThanOrEqualTo(22));
    }

    @Test
    void afterRotationTokensAreSignedWithTheNewKey() throws Exception {
        String before = SignedJWT.parse(minter.mint(alice("k", null), billing(null)).token()).getHeader().getKeyID();
        clock.advance(Duration.ofHours(1));
        keys.rotateIfDue();

        String after = SignedJWT.parse(minter.mint(alice("k", null), billing(null)).token()).getHeader().getKeyID();

        assertThat(after).isNotEqualTo(before).isEqualTo(keys.current().keyId());
    }
}
