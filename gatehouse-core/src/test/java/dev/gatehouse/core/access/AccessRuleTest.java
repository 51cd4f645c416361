package dev.gatehouse.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRuleTest {

    private static final Membership ACME_ADMIN = new Membership("org_1", "acme", "Acme", "admin", Set.of("billing:read", "org:billing:write"));
    private static final Membership GLOBEX_MEMBER = new Membership("org_2", "globex", "Globex", "org:member", Set.of());

    private static Subject alice(String activeOrg, String... roles) {
        return new Subject("user_alice", Set.of(roles), List.of(ACME_ADMIN, GLOBEX_MEMBER), activeOrg);
    }

    private static AccessRule authenticated(Requirement requirement) {
        return new AccessRule(AccessLevel.AUTHENTICATED, requirement);
    }

    private static Requirement roles(String... roles) {
        return new Requirement(Set.of(roles), null, Set.of(), Set.of());
    }

    private static Requirement organization(String idOrSlug) {
        return new Requirement(Set.of(), idOrSlug, Set.of(), Set.of());
    }

    private static Requirement orgRoles(String... orgRoles) {
        return new Requirement(Set.of(), null, Set.of(orgRoles), Set.of());
    }

    private static Requirement permissions(String... permissions) {
        return new Requirement(Set.of(), null, Set.of(), Set.of(permissions));
    }

    @Test
    void publicRouteLetsEveryoneThroughWithoutForwardingIdentity() {
        AccessRule rule = new AccessRule(AccessLevel.PUBLIC, Requirement.NONE);

        assertThat(rule.needsIdentity()).isFalse();
        assertThat(rule.decide(Optional.empty())).isEqualTo(new Decision.Allow(null));
        assertThat(rule.decide(Optional.of(alice(null)))).isEqualTo(new Decision.Allow(null));
    }

    @Test
    void optionalRouteForwardsIdentityOnlyWhenPresent() {
        AccessRule rule = new AccessRule(AccessLevel.OPTIONAL, Requirement.NONE);
        Subject alice = alice(null);

        assertThat(rule.needsIdentity()).isTrue();
        assertThat(rule.decide(Optional.empty())).isEqualTo(new Decision.Allow(null));
        assertThat(rule.decide(Optional.of(alice))).isEqualTo(new Decision.Allow(alice));
        assertThat(rule.decide(null, "session_expired")).isEqualTo(new Decision.Allow(null));
    }

    @Test
    void authenticatedRouteAsksAnonymousCallerToSignIn() {
        AccessRule rule = authenticated(Requirement.NONE);

        assertThat(rule.decide(Optional.empty())).isEqualTo(new Decision.SignInRequired(AccessRule.SIGNED_OUT));
        assertThat(rule.decide(Optional.of(alice(null)))).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void signInReasonCarriesWhyTheSessionIsMissing() {
        AccessRule rule = authenticated(permissions("billing:read"));

        assertThat(rule.decide(null, "session_expired")).isEqualTo(new Decision.SignInRequired("session_expired"));
        assertThat(rule.decide(null, AccessRule.SIGNED_OUT)).isEqualTo(new Decision.SignInRequired("signed_out"));
    }

    @Test
    void requirementOnNonAuthenticatedRouteIsRefusedAtBuild() {
        assertThatThrownBy(() -> new AccessRule(AccessLevel.OPTIONAL, roles("admin")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessRule(AccessLevel.PUBLIC, permissions("billing:read")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void globalRolesMustAllBeHeld() {
        AccessRule rule = authenticated(roles("admin", "ops"));

        assertThat(rule.decide(Optional.of(alice(null, "admin", "ops", "dev")))).isInstanceOf(Decision.Allow.class);
        assertThat(rule.decide(Optional.of(alice(null, "admin")))).isEqualTo(new Decision.Forbidden(AccessRule.MISSING_ROLE));
        assertThat(rule.decide(Optional.of(alice(null)))).isEqualTo(new Decision.Forbidden("missing_role"));
    }

    @Test
    void globalRolesAreNotGivenTheOrgPrefix() {
        // "admin" as a global role is not the organization role org:admin
        AccessRule rule = authenticated(roles("admin"));

        assertThat(rule.decide(Optional.of(alice("org_1", "org:admin")))).isEqualTo(new Decision.Forbidden(AccessRule.MISSING_ROLE));
    }

    @Test
    void anyOrganizationNeedsAnActiveOne() {
        AccessRule rule = authenticated(organization(Requirement.ANY_ORGANIZATION));

        assertThat(rule.decide(Optional.of(alice("org_2")))).isInstanceOf(Decision.Allow.class);
        // a member of organizations, but none active
        assertThat(rule.decide(Optional.of(alice(null)))).isEqualTo(new Decision.Forbidden(AccessRule.ORGANIZATION_REQUIRED));
        Subject loner = new Subject("user_bob", Set.of(), List.of(), null);
        assertThat(rule.decide(Optional.of(loner))).isEqualTo(new Decision.Forbidden("organization_required"));
    }

    @Test
    void namedOrganizationMatchesActiveOneByIdOrSlug() {
        assertThat(authenticated(organization("org_1")).decide(Optional.of(alice("org_1")))).isInstanceOf(Decision.Allow.class);
        assertThat(authenticated(organization("acme")).decide(Optional.of(alice("org_1")))).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void namedOrganizationRefusesMembershipThatIsNotActive() {
        // alice belongs to acme, but globex is active: the rule looks at the active organization only
        assertThat(authenticated(organization("acme")).decide(Optional.of(alice("org_2"))))
                .isEqualTo(new Decision.Forbidden(AccessRule.ORGANIZATION_REQUIRED));
        assertThat(authenticated(organization("initech")).decide(Optional.of(alice("org_1"))))
                .isEqualTo(new Decision.Forbidden(AccessRule.ORGANIZATION_REQUIRED));
    }

    @Test
    void organizationRoleIsComparedWithClerkOrgPrefix() {
        // the membership was built from "admin"; the rule says "org:admin", and the other way round
        assertThat(authenticated(orgRoles("org:admin")).decide(Optional.of(alice("org_1")))).isInstanceOf(Decision.Allow.class);
        assertThat(authenticated(orgRoles("member")).decide(Optional.of(alice("org_2")))).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void organizationRoleNeedsOneOfTheListedRoles() {
        AccessRule rule = authenticated(orgRoles("admin", "org:owner"));

        assertThat(rule.decide(Optional.of(alice("org_1")))).isInstanceOf(Decision.Allow.class);
        assertThat(rule.decide(Optional.of(alice("org_2")))).isEqualTo(new Decision.Forbidden(AccessRule.MISSING_ORGANIZATION_ROLE));
    }

    @Test
    void organizationRoleWithoutActiveOrganizationIsOrganizationRequired() {
        assertThat(authenticated(orgRoles("admin")).decide(Optional.of(alice(null))))
                .isEqualTo(new Decision.Forbidden(AccessRule.ORGANIZATION_REQUIRED));
    }

    @Test
    void membershipWithoutRoleIsRefusedAnOrganizationRoleRoute() {
        // providers that only list organization ids give memberships with no role; that must be a 403, not a crash
        Membership roleless = new Membership("org_3", "initech", "Initech", null, Set.of());
        Subject bob = new Subject("user_bob", Set.of(), List.of(roleless), "org_3");

        assertThat(authenticated(orgRoles("admin")).decide(Optional.of(bob)))
                .isEqualTo(new Decision.Forbidden(AccessRule.MISSING_ORGANIZATION_ROLE));
    }

    @Test
    void permissionsAreComparedWithClerkOrgPrefixAndMustAllBeHeld() {
        Subject alice = alice("org_1");

        assertThat(authenticated(permissions("org:billing:read")).decide(Optional.of(alice))).isInstanceOf(Decision.Allow.class);
        assertThat(authenticated(permissions("billing:write")).decide(Optional.of(alice))).isInstanceOf(Decision.Allow.class);
        assertThat(authenticated(permissions("billing:read", "billing:write")).decide(Optional.of(alice))).isInstanceOf(Decision.Allow.class);
        assertThat(authenticated(permissions("billing:read", "billing:delete")).decide(Optional.of(alice)))
                .isEqualTo(new Decision.Forbidden(AccessRule.MISSING_PERMISSION));
    }

    @Test
    void permissionsComeFromTheActiveOrganizationOnly() {
        // alice may read billing in acme, but globex is active
        assertThat(authenticated(permissions("billing:read")).decide(Optional.of(alice("org_2"))))
                .isEqualTo(new Decision.Forbidden(AccessRule.MISSING_PERMISSION));
        assertThat(authenticated(permissions("billing:read")).decide(Optional.of(alice(null))))
                .isEqualTo(new Decision.Forbidden(AccessRule.ORGANIZATION_REQUIRED));
    }

    @Test
    void everyDimensionIsAndedAndTheFirstMissingOneIsTheReason() {
        AccessRule rule = authenticated(new Requirement(Set.of("staff"), "acme", Set.of("admin"), Set.of("billing:read")));

        assertThat(rule.decide(Optional.of(alice("org_1", "staff")))).isEqualTo(new Decision.Allow(alice("org_1", "staff")));
        assertThat(rule.decide(Optional.of(alice("org_1")))).isEqualTo(new Decision.Forbidden(AccessRule.MISSING_ROLE));
        assertThat(rule.decide(Optional.of(alice("org_2", "staff")))).isEqualTo(new Decision.Forbidden(AccessRule.ORGANIZATION_REQUIRED));

        AccessRule roleAndPermission = authenticated(new Requirement(Set.of(), null, Set.of("member"), Set.of("billing:read")));
        assertThat(roleAndPermission.decide(Optional.of(alice("org_1")))).isEqualTo(new Decision.Forbidden(AccessRule.MISSING_ORGANIZATION_ROLE));
    }

    @Test
    void emptyRequirementAsksOnlyForASignIn() {
        assertThat(Requirement.NONE.isEmpty()).isTrue();
        assertThat(organization(Requirement.ANY_ORGANIZATION).isEmpty()).isFalse();
        assertThat(authenticated(Requirement.NONE).decide(Optional.of(new Subject("u", Set.of(), List.of(), null))))
                .isInstanceOf(Decision.Allow.class);
    }

    @Test
    void subjectRefusesAnActiveOrganizationItDoesNotBelongTo() {
        assertThatThrownBy(() -> new Subject("u", Set.of(), List.of(ACME_ADMIN), "org_9"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membershipHoldsRolesAndPermissionsInOrgForm() {
        assertThat(ACME_ADMIN.role()).isEqualTo("org:admin");
        assertThat(ACME_ADMIN.permissions()).containsExactlyInAnyOrder("org:billing:read", "org:billing:write");
        assertThat(ACME_ADMIN.isNamed("acme")).isTrue();
        assertThat(ACME_ADMIN.isNamed("org_1")).isTrue();
        assertThat(ACME_ADMIN.isNamed("Acme")).isFalse();
    }
}
