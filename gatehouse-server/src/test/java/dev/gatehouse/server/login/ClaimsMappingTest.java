package dev.gatehouse.server.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.access.Membership;
import dev.gatehouse.server.session.UserProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimsMappingTest {
    private static final ClaimsMapping DEFAULTS = new ClaimsMapping(Map.of());

    private static Map<String, Object> claims(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void readsTheStandardProfileClaims() {
        ClaimsMapping.Mapped m = DEFAULTS.map(claims("sub", "u1", "email", "a@example.com", "name", "Alice", "picture",
                "https://img.example.com/a.png"), Map.of());

        assertThat(m.user()).isEqualTo(new UserProfile("u1", "a@example.com", "Alice", "https://img.example.com/a.png"));
        assertThat(m.subject().userId()).isEqualTo("u1");
        assertThat(m.subject().roles()).isEmpty();
        assertThat(m.subject().organizations()).isEmpty();
        assertThat(m.subject().activeOrganization()).isEmpty();
    }

    @Test
    void missingProfileClaimsAreNullAndStructuredValuesAreNotText() {
        ClaimsMapping.Mapped m = DEFAULTS.map(claims("sub", "u1", "email", Map.of("x", 1), "name", List.of("a")), Map.of());

        assertThat(m.user()).isEqualTo(new UserProfile("u1", null, null, null));
    }

    @Test
    void refusesClaimsWithoutAUserId() {
        assertThatThrownBy(() -> DEFAULTS.map(claims("email", "a@example.com"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sub");
    }

    @Test
    void rolesFromAList() {
        assertThat(DEFAULTS.map(claims("sub", "u1", "roles", List.of("admin", "ops")), Map.of()).subject().roles())
                .containsExactlyInAnyOrder("admin", "ops");
    }

    @Test
    void rolesFromASpaceOrCommaSeparatedString() {
        assertThat(DEFAULTS.map(claims("sub", "u1", "roles", "admin ops"), Map.of()).subject().roles())
                .containsExactlyInAnyOrder("admin", "ops");
        assertThat(DEFAULTS.map(claims("sub", "u1", "roles", " admin, ops "), Map.of()).subject().roles())
                .containsExactlyInAnyOrder("admin", "ops");
        assertThat(DEFAULTS.map(claims("sub", "u1", "roles", "  "), Map.of()).subject().roles()).isEmpty();
    }

    @Test
    void organizationsFromAListOfIdsMakesTheFirstActive() {
        ClaimsMapping.Mapped m = DEFAULTS.map(claims("sub", "u1", "organizations", List.of("org_1", "org_2")), Map.of());

        assertThat(m.subject().organizations()).containsExactly(
                new Membership("org_1", "org_1", "org_1", null, Set.of()),
                new Membership("org_2", "org_2", "org_2", null, Set.of()));
        assertThat(m.subject().activeOrganizationId()).isEqualTo("org_1");
    }

    @Test
    void organizationsFromAListOfObjectsNormaliseRolesAndPermissions() {
        ClaimsMapping.Mapped m = DEFAULTS.map(claims("sub", "u1", "organizations", List.of(
                Map.of("id", "org_1", "slug", "acme", "name", "Acme Inc", "role", "admin", "permissions", List.of("billing:read", "org:billing:write")),
                Map.of("id", "org_2", "role", "org:member"),
                Map.of("slug", "no-id"))), Map.of());

        assertThat(m.subject().organizations()).containsExactly(
                new Membership("org_1", "acme", "Acme Inc", "org:admin", Set.of("org:billing:read", "org:billing:write")),
                new Membership("org_2", "org_2", "org_2", "org:member", Set.of()));
    }

    @Test
    void organizationsFromAMapKeyedBySlug() {
        Map<String, Object> orgs = new LinkedHashMap<>();
        orgs.put("acme", Map.of("id", "org_1", "role", "admin", "permissions", "billing:read billing:write"));
        orgs.put("globex", Map.of("role", "member"));
        ClaimsMapping.Mapped m = DEFAULTS.map(claims("sub", "u1", "organizations", orgs), Map.of());

        assertThat(m.subject().organizations()).containsExactly(
                new Membership("org_1", "acme", "acme", "org:admin", Set.of("org:billing:read", "org:billing:write")),
                new Membership("globex", "globex", "globex", "org:member", Set.of()));
    }

    @Test
    void activeOrgClaimObjectIsActiveAndReplacesTheListedMembership() {
        ClaimsMapping.Mapped m = DEFAULTS.map(claims("sub", "u1",
                "organizations", List.of("org_1", "org_2"),
                "org", Map.of("id", "org_2", "slug", "globex", "role", "admin", "permissions", List.of("reports:read"))), Map.of());

        assertThat(m.subject().activeOrganizationId()).isEqualTo("org_2");
        assertThat(m.subject().activeOrganization()).contains(
                new Membership("org_2", "globex", "globex", "org:admin", Set.of("org:reports:read")));
        assertThat(m.subject().organizations()).extracting(Membership::id).containsExactly("org_2", "org_1");
    }

    @Test
    void activeOrgClaimAsAnIdSelectsOrAddsThatOrganization() {
        ClaimsMapping.Mapped listed = DEFAULTS.map(claims("sub", "u1", "organizations", List.of("org_1", "org_2"), "org", "org_2"), Map.of());
        assertThat(listed.subject().activeOrganizationId()).isEqualTo("org_2");
        assertThat(listed.subject().organizations()).hasSize(2);

        ClaimsMapping.Mapped alone = DEFAULTS.map(claims("sub", "u1", "org", "org_9"), Map.of());
        assertThat(alone.subject().activeOrganizationId()).isEqualTo("org_9");
        assertThat(alone.subject().organizations()).extracting(Membership::id).containsExactly("org_9");
    }

    @Test
    void customDottedPathFallsBackToAccessTokenClaims() {
        // Keycloak puts realm roles in the access token only
        ClaimsMapping keycloak = new ClaimsMapping(Map.of("roles", "realm_access.roles", "email", "contact.email"));
        ClaimsMapping.Mapped m = keycloak.map(claims("sub", "u1", "contact", Map.of("email", "a@example.com")),
                claims("realm_access", Map.of("roles", List.of("admin", "offline_access"))));

        assertThat(m.subject().roles()).containsExactlyInAnyOrder("admin", "offline_access");
        assertThat(m.user().email()).isEqualTo("a@example.com");
    }

    @Test
    void idTokenClaimWinsOverAccessTokenClaim() {
        ClaimsMapping.Mapped m = DEFAULTS.map(claims("sub", "u1", "roles", List.of("from-id")), claims("sub", "u2", "roles", List.of("from-access")));

        assertThat(m.subject().userId()).isEqualTo("u1");
        assertThat(m.subject().roles()).containsExactly("from-id");
    }

    @Test
    void dottedPathThroughANonObjectFindsNothing() {
        ClaimsMapping mapping = new ClaimsMapping(Map.of("roles", "realm_access.roles"));

        assertThat(mapping.map(claims("sub", "u1", "realm_access", "admin"), Map.of()).subject().roles()).isEmpty();
        assertThat(mapping.map(claims("sub", "u1"), null).subject().roles()).isEmpty();
    }

    @Test
    void customUserIdPath() {
        ClaimsMapping entra = new ClaimsMapping(Map.of("user_id", "oid", "email", "preferred_username"));
        ClaimsMapping.Mapped m = entra.map(claims("sub", "pairwise", "oid", "00000000-1111", "preferred_username", "a@example.com"), Map.of());

        assertThat(m.user().id()).isEqualTo("00000000-1111");
        assertThat(m.user().email()).isEqualTo("a@example.com");
    }

    @Test
    void namespacedClaimNameWithDotsIsFoundAsIs() {
        // Auth0 requires custom claims to be namespaced with a URL, e.g. https://app.example.com/roles
        ClaimsMapping auth0 = new ClaimsMapping(Map.of("roles", "https://app.example.com/roles"));
        ClaimsMapping.Mapped m = auth0.map(claims("sub", "u1", "https://app.example.com/roles", List.of("admin")), Map.of());

        assertThat(m.subject().roles()).containsExactly("admin");
    }
}
