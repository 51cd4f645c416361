package dev.gatehouse.identity.orgs;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A role and the permissions it grants. In a {@link RoleCatalog} the permissions are resolved (for
 * {@code org:admin}, every permission the catalog knows); as an argument to {@code defineRole} they are the ones
 * the role is given.
 */
public record Role(String key, String name, Set<String> permissions) {

    public Role {
        key = Roles.requireValidRole(key);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("role name is required");
        }
        name = name.strip();
        if (name.length() > 256) {
            throw new IllegalArgumentException("role name is longer than 256 characters");
        }
        Set<String> valid = new TreeSet<>();
        for (String permission : Objects.requireNonNull(permissions, "permissions")) {
            valid.add(Roles.requireValidPermission(permission));
        }
        permissions = Set.copyOf(valid);
    }

    public boolean grants(String permission) {
        return permissions.contains(Roles.requireValidPermission(permission));
    }

    public boolean isBuiltIn() {
        return key.equals(Roles.ADMIN) || key.equals(Roles.MEMBER);
    }
}
