package dev.gatehouse.identity.provider;

import dev.gatehouse.identity.orgs.OrganizationMembership;
import dev.gatehouse.identity.users.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The claims about a user that ID tokens, access tokens and userinfo carry, in the shape the gateway's default
 * claims mapping reads: {@code email}, {@code email_verified}, {@code name}, {@code picture}, {@code roles}
 * (global roles, from {@code public_metadata.roles} when it is a list of strings), {@code organizations} (every
 * membership: {@code id, slug, name, role, permissions}), {@code org} (the active one: {@code id, slug, name,
 * role, permissions}; absent when none) and {@code public_metadata}. Private and unsafe metadata never appear.
 */
final class UserClaims {
    private UserClaims() {
    }

    /** The claims, in a stable order; {@code activeOrganizationId} may be null or no longer a membership. */
    static Map<String, Object> of(User user, List<OrganizationMembership> memberships, String activeOrganizationId) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("email", user.email());
        claims.put("email_verified", user.emailVerified());
        if (user.name() != null) {
            claims.put("name", user.name());
        }
        if (user.picture() != null) {
            claims.put("picture", user.picture());
        }
        claims.put("roles", globalRoles(user));
        List<Object> organizations = new ArrayList<>();
        for (OrganizationMembership m : memberships) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", m.organization().id().value());
            o.put("slug", m.organization().slug());
            o.put("name", m.organization().name());
            o.put("role", m.role());
            o.put("permissions", new ArrayList<>(new TreeSet<>(m.permissions())));
            organizations.add(o);
        }
        claims.put("organizations", organizations);
        active(memberships, activeOrganizationId).ifPresent(m -> {
            Map<String, Object> org = new LinkedHashMap<>();
            org.put("id", m.organization().id().value());
            org.put("slug", m.organization().slug());
            org.put("name", m.organization().name());
            org.put("role", m.role());
            org.put("permissions", new ArrayList<>(new TreeSet<>(m.permissions())));
            claims.put("org", org);
        });
        claims.put("public_metadata", user.publicMetadata().asMap());
        return claims;
    }

    static java.util.Optional<OrganizationMembership> active(List<OrganizationMembership> memberships, String organizationId) {
        if (organizationId == null) {
            return java.util.Optional.empty();
        }
        return memberships.stream().filter(m -> m.organization().id().value().equals(organizationId)).findFirst();
    }

    private static List<String> globalRoles(User user) {
        List<String> roles = new ArrayList<>();
        if (user.publicMetadata().get("roles") instanceof List<?> list) {
            for (Object role : list) {
                if (role instanceof String s) {
                    roles.add(s);
                }
            }
        }
        return roles;
    }
}
