package dev.gatehouse.core.access;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The signed-in user as access rules see it: a stable user id, global roles, the organizations the user
 * belongs to and the one that is active. Immutable; built once per sign-in, not per request.
 */
public record Subject(String userId, Set<String> roles, List<Membership> organizations, String activeOrganizationId) {

    public Subject {
        Objects.requireNonNull(userId, "userId");
        roles = Set.copyOf(roles);
        organizations = List.copyOf(organizations);
        if (activeOrganizationId != null && organizations.stream().noneMatch(m -> m.id().equals(activeOrganizationId))) {
            throw new IllegalArgumentException("active organization is not one of the user's organizations");
        }
    }

    /** The active organization, if the user has one. */
    public Optional<Membership> activeOrganization() {
        if (activeOrganizationId == null) {
            return Optional.empty();
        }
        for (Membership m : organizations) {
            if (m.id().equals(activeOrganizationId)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
