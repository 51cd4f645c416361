package dev.gatehouse.core.access;

import java.util.Set;

/**
 * What a signed-in user must have for a route, every dimension ANDed: all listed global roles, an active
 * organization (any, or the one named by id or slug), one of the listed organization roles, and all listed
 * permissions of the active organization. An empty requirement asks for nothing beyond being signed in.
 *
 * @param organization {@code null} for no organization requirement, {@link #ANY_ORGANIZATION} for any
 *                     active organization, otherwise the id or slug of the organization that must be active
 */
public record Requirement(Set<String> roles, String organization, Set<String> organizationRoles, Set<String> permissions) {

    /** The value of {@link #organization()} that accepts any active organization. */
    public static final String ANY_ORGANIZATION = "*";

    public static final Requirement NONE = new Requirement(Set.of(), null, Set.of(), Set.of());

    public Requirement {
        roles = Set.copyOf(roles);
        organizationRoles = OrgNames.normalizeAll(organizationRoles);
        permissions = OrgNames.normalizeAll(permissions);
    }

    public boolean isEmpty() {
        return roles.isEmpty() && organization == null && organizationRoles.isEmpty() && permissions.isEmpty();
    }
}
