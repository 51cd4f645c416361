package dev.gatehouse.identity.orgs;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of roles and permissions, and the built-in ones. Names are normalised the Clerk way: {@code admin}
 * and {@code org:admin} name the same role. System permissions ({@code org:sys_...}) guard the organization
 * itself (its profile and its memberships); custom features may not use the {@code sys_} prefix.
 */
public final class Roles {
    public static final String ADMIN = "org:admin";
    public static final String MEMBER = "org:member";

    public static final String MANAGE_PROFILE = "org:sys_profile:manage";
    public static final String DELETE_PROFILE = "org:sys_profile:delete";
    public static final String READ_MEMBERSHIPS = "org:sys_memberships:read";
    public static final String MANAGE_MEMBERSHIPS = "org:sys_memberships:manage";
    public static final Set<String> SYSTEM_PERMISSIONS = Set.of(MANAGE_PROFILE, DELETE_PROFILE, READ_MEMBERSHIPS, MANAGE_MEMBERSHIPS);

    private static final String PREFIX = "org:";
    private static final Pattern ROLE = Pattern.compile("org:[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern PERMISSION = Pattern.compile("org:[a-z0-9][a-z0-9_-]{0,62}:[a-z0-9][a-z0-9_-]{0,62}");

    private Roles() {
    }

    /** The role in its {@code org:} form, or an {@link IllegalArgumentException} saying what a role looks like. */
    public static String requireValidRole(String role) {
        String key = role == null ? "" : normalize(role.strip());
        if (!ROLE.matcher(key).matches()) {
            throw new IllegalArgumentException("a role is org:<name> (lower-case letters, digits, '-' and '_'): " + role);
        }
        return key;
    }

    /** The permission in its {@code org:} form, or an {@link IllegalArgumentException} saying what one looks like. */
    public static String requireValidPermission(String permission) {
        String key = permission == null ? "" : normalize(permission.strip());
        if (!PERMISSION.matcher(key).matches()) {
            throw new IllegalArgumentException("a permission is org:<feature>:<permission> "
                    + "(lower-case letters, digits, '-' and '_'): " + permission);
        }
        if (key.startsWith("org:sys_") && !SYSTEM_PERMISSIONS.contains(key)) {
            throw new IllegalArgumentException("the sys_ prefix is reserved for system permissions: " + permission);
        }
        return key;
    }

    private static String normalize(String name) {
        return name.startsWith(PREFIX) ? name : PREFIX + name;
    }
}
