package dev.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Clerk session tokens (v1 claims and v2's compact {@code o} claim with the {@code fpm} bitmask) give the same
 * {@link Auth} as each other, so a service can move between Clerk and Gatehouse. Tokens are shaped as Clerk mints
 * them (RS256, {@code typ: JWT}, {@code azp}, no {@code aud}) and go through the real verifier.
 */
class ClerkClaimsTest {
    private static final String CLERK = "https://clerk.example.com";
    private static final String APP = "https://app.example.com";
    private final KeyPair key = Jws.rsa(2048);
    private final TestClock clock = TestClock.atWholeSecond();
    private final Gatehouse gatehouse = Gatehouse.builder().issuer(CLERK).acceptTokensWithoutAudience().authorizedParties(APP)
            .publicKeyPem(Jws.pem(key.getPublic())).clock(clock).build();

    private Auth verify(Map<String, Object> extra) throws Exception {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("azp", APP);
        claims.put("exp", now + 60);
        claims.put("iat", now);
        claims.put("iss", CLERK);
        claims.put("nbf", now - 10);
        claims.put("sid", "sess_2abc");
        claims.put("sub", "user_2xyz");
        claims.putAll(extra);
        Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "RS256", "kid", "ins_2abc", "typ", "JWT"));
        RequestState state = gatehouse.authenticateRequest(AuthRequest.bearer(Jws.token(header, claims, Jws.rs256(key.getPrivate()))));
        assertThat(state.reason()).isNull();
        return state.toAuth();
    }

    private static Map<String, Object> v2(String fea, Map<String, Object> o) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("v", 2);
        if (fea != null) {
            claims.put("fea", fea);
        }
        claims.put("o", o);
        return claims;
    }

    private static Map<String, Object> org(String per, String fpm) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", "org_2def");
        o.put("slg", "acme");
        o.put("rol", "admin");
        if (per != null) {
            o.put("per", per);
        }
        if (fpm != null) {
            o.put("fpm", fpm);
        }
        return o;
    }

    @Test
    void v1AndV2ClaimsGiveTheSameAuth() throws Exception {
        Auth v1 = verify(Map.of("org_id", "org_2def", "org_role", "org:admin", "org_slug", "acme",
                "org_permissions", List.of("org:dashboard:manage", "org:dashboard:read", "org:teams:read")));
        Auth v2 = verify(v2("o:dashboard,o:teams", org("manage,read", "3,2")));
        for (Auth auth : List.of(v1, v2)) {
            assertThat(auth.userId()).isEqualTo("user_2xyz");
            assertThat(auth.sessionId()).isEqualTo("sess_2abc");
            assertThat(auth.orgId()).isEqualTo("org_2def");
            assertThat(auth.orgSlug()).isEqualTo("acme");
            assertThat(auth.orgRole()).isEqualTo("org:admin");
            assertThat(auth.has(Check.role("admin").andPermission("teams:read"))).isTrue();
            assertThat(auth.has(Check.permission("teams:manage"))).isFalse();
        }
        assertThat(v2.orgPermissions()).containsExactlyInAnyOrderElementsOf(v1.orgPermissions());
    }

    @Test
    void theDocumentedFpmExampleDecodes() throws Exception {
        // clerk-docs session-tokens: fea=o:dashboard,o:teams, per=manage,read, fpm=3,2.
        assertThat(verify(v2("o:dashboard,o:teams", org("manage,read", "3,2"))).orgPermissions())
                .containsExactlyInAnyOrder("org:dashboard:manage", "org:dashboard:read", "org:teams:read");
    }

    @Test
    void theSdkTestFpmExampleDecodes() throws Exception {
        // clerk/javascript jwtPayloadParser.spec.ts: fea=o:impersonation,o:memberships, per=read,manage, fpm=1,3.
        assertThat(verify(v2("o:impersonation,o:memberships", org("read,manage", "1,3"))).orgPermissions())
                .containsExactlyInAnyOrder("org:impersonation:read", "org:memberships:read", "org:memberships:manage");
    }

    @Test
    void masksAlignWithOrganizationScopedFeaturesOnly() throws Exception {
        // A user-scoped feature takes no fpm slot; "ou" and "uo" count as organization-scoped.
        assertThat(verify(v2("u:profile,o:dashboard,ou:teams", org("manage,read", "1,2"))).orgPermissions())
                .containsExactlyInAnyOrder("org:dashboard:manage", "org:teams:read");
    }

    @Test
    void aMaskWiderThanSixtyFourBitsDecodesExactly() throws Exception {
        // The official Java helper parsed fpm with Integer.parseInt and broke past 31 permissions.
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            names.add("p" + i);
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(69).or(BigInteger.ONE.shiftLeft(64)).or(BigInteger.ONE);
        Auth some = verify(v2("o:reports", org(String.join(",", names), mask.toString())));
        assertThat(some.orgPermissions()).containsExactlyInAnyOrder("org:reports:p0", "org:reports:p64", "org:reports:p69");
        BigInteger all = BigInteger.ONE.shiftLeft(70).subtract(BigInteger.ONE);
        assertThat(verify(v2("o:reports", org(String.join(",", names), all.toString()))).orgPermissions()).hasSize(70);
    }

    @Test
    void theV2RoleGetsItsOrgPrefix() throws Exception {
        // The official Java helper left rol without its prefix, so has(role "org:admin") failed for v2 tokens.
        Auth auth = verify(v2("o:dashboard", org("read", "1")));
        assertThat(auth.orgRole()).isEqualTo("org:admin");
        assertThat(auth.has(Check.role("org:admin"))).isTrue();
    }

    @Test
    void malformedFeatureOrMaskClaimsGiveNoPermissionsNotAnError() throws Exception {
        // Clerk's Java and Ruby SDKs threw on null per/fpm; a service must get a usable, permission-less Auth instead.
        List<Map<String, Object>> broken = List.of(
                v2("o:dashboard", org("read,manage", "lots")),
                v2("o:dashboard", org("read,manage", "1.5")),
                v2("o:dashboard", org("read,manage", "-1")),
                v2("dashboard", org("read,manage", "3")),
                v2("o:dashboard,teams", org("read,manage", "3,3")),
                v2(null, org("read,manage", "3")),
                v2("o:dashboard", org(null, "3")),
                v2("o:dashboard", org("read,manage", null)),
                v2("o:dashboard", org("read,manage", "")));
        for (Map<String, Object> claims : broken) {
            Auth auth = verify(claims);
            assertThat(auth.orgPermissions()).as("%s", claims).isEmpty();
            assertThat(auth.orgId()).isEqualTo("org_2def");
            assertThat(auth.has(Check.role("admin"))).isTrue();
            assertThat(auth.has(Check.permission("dashboard:read"))).isFalse();
        }
    }

    @Test
    void fewerMasksThanFeaturesGrantOnlyWhatIsThere() throws Exception {
        assertThat(verify(v2("o:dashboard,o:teams", org("read,manage", "2"))).orgPermissions()).containsExactly("org:dashboard:manage");
    }

    @Test
    void anOrgClaimOfTheWrongShapeMeansNoOrganization() throws Exception {
        Auth auth = verify(Map.of("v", 2, "o", "org_2def"));
        assertThat(auth.orgId()).isNull();
        assertThat(auth.has(Check.role("admin"))).isFalse();
        assertThat(auth.userId()).isEqualTo("user_2xyz");
    }

    @Test
    void aClerkTokenWithoutAzpIsRefusedWhenPartiesAreConfigured() throws Exception {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>(Map.of("exp", now + 60, "iat", now, "iss", CLERK, "sub", "user_2xyz"));
        String token = Jws.token(new LinkedHashMap<>(Map.of("alg", "RS256", "kid", "ins_2abc", "typ", "JWT")), claims, Jws.rs256(key.getPrivate()));
        assertThat(gatehouse.authenticateRequest(AuthRequest.bearer(token)).reason()).isEqualTo(AuthReason.TOKEN_INVALID_AUTHORIZED_PARTIES);
    }
}
