package dev.gatehouse.core.access;

import java.util.Objects;
import java.util.Set;

/**
 * A user's membership of one organization: the organization's id, slug and name, the user's role in it and
 * the permissions that role grants. Roles and permissions are held in their {@code org:} form.
 */
public record Membership(String id, String slug, String name, String role, Set<String> permissions) {

    public Membership {
        Objects.requireNonNull(id, "id");
        role = role == null ? null : OrgNames.normalize(role);
        permissions = permissions == null ? Set.of() : OrgNames.normalizeAll(permissions);
    }

    /** True when {@code idOrSlug} names this organization by id or by slug. */
    public boolean isNamed(String idOrSlug) {
        return id.equals(idOrSlug) || idOrSlug.equals(slug);
    }
}
