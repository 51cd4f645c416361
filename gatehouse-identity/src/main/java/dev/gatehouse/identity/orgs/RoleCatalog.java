package dev.gatehouse.identity.orgs;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every role of the instance with its resolved permissions. {@code org:admin} holds the system permissions plus
 * every permission granted to any other role, so a new custom permission reaches admins without being granted to
 * them; every other role holds exactly what it was given. Immutable; build it from the roles as defined.
 */
public final class RoleCatalog {
    private final Map<String, Role> roles;
    private final Set<String> allPermissions;

    /**
     * Resolves {@code defined}: the built-in roles are always present ({@code org:member} with
     * {@code org:sys_memberships:read} when not defined); whatever {@code org:admin} was given is ignored.
     */
    public RoleCatalog(Collection<Role> defined) {
        Map<String, Role> byKey = new LinkedHashMap<>();
        byKey.put(Roles.MEMBER, new Role(Roles.MEMBER, "Member", Set.of(Roles.READ_MEMBERSHIPS)));
        String adminName = "Admin";
        for (Role role : defined) {
            if (role.key().equals(Roles.ADMIN)) {
                adminName = role.name();
            } else {
                byKey.put(role.key(), role);
            }
        }
        Set<String> all = new TreeSet<>(Roles.SYSTEM_PERMISSIONS);
        byKey.values().forEach(role -> all.addAll(role.permissions()));
        this.allPermissions = Set.copyOf(all);
        Map<String, Role> resolved = new LinkedHashMap<>();
        resolved.put(Roles.ADMIN, new Role(Roles.ADMIN, adminName, allPermissions));
        resolved.putAll(byKey);
        this.roles = resolved;
    }

    public Optional<Role> role(String key) {
        return Optional.ofNullable(roles.get(Roles.requireValidRole(key)));
    }

    public boolean contains(String key) {
        return roles.containsKey(Roles.requireValidRole(key));
    }

    /** The role's permissions; empty for a role the catalog does not know, so an unknown role grants nothing. */
    public Set<String> permissionsOf(String key) {
        Role role = roles.get(Roles.requireValidRole(key));
        return role == null ? Set.of() : role.permissions();
    }

    /** Admin first, then member, then custom roles in the order given. */
    public List<Role> roles() {
        return List.copyOf(roles.values());
    }

    public Set<String> allPermissions() {
        return allPermissions;
    }
}
