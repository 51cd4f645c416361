package dev.gatehouse.identity.orgs;

import dev.gatehouse.core.access.Membership;
import dev.gatehouse.identity.users.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A user's membership of an organization, with the permissions its role grants at the time it was read. The
 * permissions are resolved by the store from its {@link RoleCatalog}, so changing a role changes what every
 * membership with that role reads as.
 */
public record OrganizationMembership(
        Organization organization, UserId userId, String role, Set<String> permissions, Instant createdAt, Instant updatedAt) {

    public OrganizationMembership {
        Objects.requireNonNull(organization, "organization");
        Objects.requireNonNull(userId, "userId");
        role = Roles.requireValidRole(role);
        permissions = Set.copyOf(permissions);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The access-rule view of this membership: what the gateway and per-service tokens carry. */
    public Membership toAccessMembership() {
        Organization o = organization;
        return new Membership(o.id().value(), o.slug(), o.name(), role, permissions);
    }
}
