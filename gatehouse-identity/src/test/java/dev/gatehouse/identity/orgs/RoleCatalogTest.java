package dev.gatehouse.identity.orgs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleCatalogTest {

    @Test
    void withNothingDefinedAdminHoldsTheSystemPermissionsAndMemberMayReadMemberships() {
        RoleCatalog catalog = new RoleCatalog(List.of());

        assertThat(catalog.permissionsOf("org:admin")).containsExactlyInAnyOrderElementsOf(Roles.SYSTEM_PERMISSIONS);
        assertThat(catalog.permissionsOf("org:member")).containsExactly("org:sys_memberships:read");
        assertThat(catalog.roles()).extracting(Role::key).containsExactly("org:admin", "org:member");
    }

    @Test
    void adminHoldsEveryPermissionAnyRoleWasGiven() {
        RoleCatalog catalog = new RoleCatalog(List.of(
                new Role("org:billing", "Billing", Set.of("org:billing:read", "org:billing:manage")),
                new Role("org:member", "Member", Set.of("org:reports:read"))));

        assertThat(catalog.permissionsOf("admin")).containsAll(Roles.SYSTEM_PERMISSIONS)
                .contains("org:billing:read", "org:billing:manage", "org:reports:read");
        assertThat(catalog.allPermissions()).isEqualTo(catalog.permissionsOf("org:admin"));
        assertThat(catalog.permissionsOf("org:billing")).containsExactlyInAnyOrder("org:billing:read", "org:billing:manage");
        // A redefined member holds exactly what it was given, not the default as well.
        assertThat(catalog.permissionsOf("org:member")).containsExactly("org:reports:read");
    }

    @Test
    void whatAdminWasGivenIsIgnoredButItsNameIsKept() {
        RoleCatalog catalog = new RoleCatalog(List.of(new Role("org:admin", "Owner", Set.of())));

        assertThat(catalog.role("org:admin").orElseThrow().name()).isEqualTo("Owner");
        assertThat(catalog.permissionsOf("org:admin")).containsExactlyInAnyOrderElementsOf(Roles.SYSTEM_PERMISSIONS);
    }

    @Test
    void anUnknownRoleGrantsNothing() {
        RoleCatalog catalog = new RoleCatalog(List.of());

        assertThat(catalog.contains("org:owner")).isFalse();
        assertThat(catalog.permissionsOf("org:owner")).isEmpty();
        assertThat(catalog.role("owner")).isEmpty();
    }

    @Test
    void roleAndPermissionNamesAreNormalisedAndChecked() {
        assertThat(Roles.requireValidRole("admin")).isEqualTo("org:admin");
        assertThat(Roles.requireValidPermission("billing:read")).isEqualTo("org:billing:read");
        assertThat(new Role("viewer", "Viewer", Set.of("reports:read")).grants("org:reports:read")).isTrue();
        assertThatThrownBy(() -> Roles.requireValidRole("org:Admin"))
                .hasMessage("a role is org:<name> (lower-case letters, digits, '-' and '_'): org:Admin");
        assertThatThrownBy(() -> Roles.requireValidRole("org:billing:read")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Roles.requireValidPermission("org:billing"))
                .hasMessage("a permission is org:<feature>:<permission> (lower-case letters, digits, '-' and '_'): org:billing");
        assertThatThrownBy(() -> Roles.requireValidPermission("org:sys_billing:read"))
                .hasMessage("the sys_ prefix is reserved for system permissions: org:sys_billing:read");
    }
}
