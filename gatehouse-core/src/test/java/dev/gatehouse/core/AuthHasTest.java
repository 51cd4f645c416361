package dev.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code has()} as Clerk's createCheckAuthorization answers it, on Auth objects read from verified claims. */
class AuthHasTest {
    private static Auth auth(Map<String, Object> claims) {
        return ClaimsReader.toAuth(claims);
    }

    private static Auth member(String role, String... permissions) {
        return auth(Map.of("sub", "user_1", "roles", List.of("staff"),
                "org", Map.of("id", "org_1", "slug", "acme", "role", role, "permissions", List.of(permissions))));
    }

    @Test
    void orgRolesCompareInTheirOrgPrefixedForm() {
        Auth admin = member("admin");
        assertThat(admin.orgRole()).isEqualTo("org:admin");
        assertThat(admin.has(Check.role("admin"))).isTrue();
        assertThat(admin.has(Check.role("org:admin"))).isTrue();
        assertThat(admin.has(Check.role("org:org:admin"))).isTrue();
        assertThat(admin.has(Check.role("org:member"))).isFalse();
        assertThat(admin.has(Check.role("Admin"))).isFalse();
        assertThat(member("org:org:admin").orgRole()).isEqualTo("org:admin");
        assertThat(admin.hasRole("org:admin")).isTrue();
    }

    @Test
    void orgPermissionsCompareInTheirOrgPrefixedForm() {
        Auth auth = member("member", "org:invoices:create", "reports:read");
        assertThat(auth.orgPermissions()).containsExactly("org:invoices:create", "org:reports:read");
        assertThat(auth.has(Check.permission("invoices:create"))).isTrue();
        assertThat(auth.has(Check.permission("org:invoices:create"))).isTrue();
        assertThat(auth.has(Check.permission("org:org:reports:read"))).isTrue();
        assertThat(auth.has(Check.permission("org:invoices:delete"))).isFalse();
        assertThat(auth.hasPermission("reports:read")).isTrue();
    }

    @Test
    void aCheckThatAsksNothingIsNeverSatisfied() {
        Auth admin = member("admin", "org:invoices:create");
        assertThat(admin.has(new Check(null, null, null))).isFalse();
        assertThat(admin.has(null)).isFalse();
    }

    @Test
    void everyAskedDimensionMustHold() {
        Auth auth = member("admin", "org:invoices:create");
        assertThat(auth.has(Check.role("admin").andPermission("invoices:create"))).isTrue();
        assertThat(auth.has(Check.role("admin").andPermission("invoices:delete"))).isFalse();
        assertThat(auth.has(Check.role("member").andPermission("invoices:create"))).isFalse();
        assertThat(auth.has(Check.role("admin").andGlobalRole("staff"))).isTrue();
        assertThat(auth.has(Check.role("admin").andGlobalRole("support"))).isFalse();
        assertThat(auth.has(Check.globalRole("staff").andPermission("invoices:create"))).isTrue();
    }

    @Test
    void withoutAnActiveOrganizationEveryOrgCheckFails() {
        Auth auth = auth(Map.of("sub", "user_1", "roles", List.of("staff")));
        assertThat(auth.orgId()).isNull();
        assertThat(auth.has(Check.role("admin"))).isFalse();
        assertThat(auth.has(Check.permission("invoices:create"))).isFalse();
        assertThat(auth.has(Check.globalRole("staff").andRole("admin"))).isFalse();
        assertThat(auth.has(Check.globalRole("staff"))).isTrue();
    }

    @Test
    void globalRolesCompareExactly() {
        Auth auth = member("admin");
        assertThat(auth.has(Check.globalRole("staff"))).isTrue();
        assertThat(auth.has(Check.globalRole("Staff"))).isFalse();
        assertThat(auth.has(Check.globalRole("org:staff"))).isFalse();
    }

    @Test
    void aSignedOutCallerHasNothing() {
        assertThat(Auth.SIGNED_OUT.has(Check.role("admin"))).isFalse();
        assertThat(Auth.SIGNED_OUT.has(Check.globalRole("staff"))).isFalse();
        assertThat(Auth.SIGNED_OUT.hasPermission("invoices:create")).isFalse();
        // Claims without a subject describe nobody: Clerk's has() answers false when userId is missing.
        Auth nobody = auth(Map.of("org", Map.of("id", "org_1", "role", "admin", "permissions", List.of("org:x:y")), "roles", List.of("staff")));
        assertThat(nobody.has(Check.role("admin"))).isFalse();
        assertThat(nobody.has(Check.globalRole("staff"))).isFalse();
    }
}
