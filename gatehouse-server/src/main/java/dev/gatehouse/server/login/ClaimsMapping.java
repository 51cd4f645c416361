package dev.gatehouse.server.login;

import dev.gatehouse.core.access.Membership;
import dev.gatehouse.core.access.Subject;
import dev.gatehouse.server.session.UserProfile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns provider claims into the gateway's view of a user, following the configured dotted paths
 * ({@code identity.claims}). Each path is looked up in the ID token first, then in the access token when that is
 * a JWT (some providers, Keycloak among them, put roles only there). A claim named by the whole path, dots and
 * all, wins over walking into nested objects.
 *
 * <p>Organizations may be a list of ids, a list of objects ({@code id}, {@code slug}, {@code name}, {@code role},
 * {@code permissions}) or an object keyed by slug whose values hold the rest. The active organization is the
 * {@code organization} claim when present, otherwise the first membership.
 */
public final class ClaimsMapping {
    private static final Map<String, String> DEFAULTS = Map.of(
            "user_id", "sub", "email", "email", "name", "name", "picture", "picture",
            "roles", "roles", "organizations", "organizations", "organization", "org", "public_metadata", "public_metadata");

    private final Map<String, String[]> paths;

    /** The user and subject read from one set of claims. */
    public record Mapped(UserProfile user, Subject subject) {
    }

    public ClaimsMapping(Map<String, String> configured) {
        Map<String, String[]> p = new java.util.HashMap<>();
        DEFAULTS.forEach((key, path) -> p.put(key, configured.getOrDefault(key, path).split("\\.")));
        this.paths = Map.copyOf(p);
    }

    public Mapped map(Map<String, Object> idClaims, Map<String, Object> accessClaims) {
        String userId = text(lookup("user_id", idClaims, accessClaims));
        if (userId == null) {
            throw new IllegalArgumentException("the ID token has no user id at " + String.join(".", paths.get("user_id")));
        }
        Object metadata = lookup("public_metadata", idClaims, accessClaims);
        Map<String, Object> publicMetadata = new java.util.HashMap<>();
        if (metadata instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k != null && v != null) {
                    publicMetadata.put(String.valueOf(k), v);
                }
            });
        }
        UserProfile user = new UserProfile(userId, text(lookup("email", idClaims, accessClaims)),
                text(lookup("name", idClaims, accessClaims)), text(lookup("picture", idClaims, accessClaims)), publicMetadata);
        Set<String> roles = new LinkedHashSet<>(strings(lookup("roles", idClaims, accessClaims)));
        List<Membership> orgs = new ArrayList<>(memberships(lookup("organizations", idClaims, accessClaims)));
        String active = null;
        Object org = lookup("organization", idClaims, accessClaims);
        if (org instanceof Map<?, ?> m && m.get("id") != null) {
            Membership fromClaim = membership(String.valueOf(m.get("id")), m);
            orgs.removeIf(existing -> existing.id().equals(fromClaim.id()));
            orgs.add(0, fromClaim);
            active = fromClaim.id();
        } else if (org instanceof String id) {
            if (orgs.stream().noneMatch(x -> x.id().equals(id))) {
                orgs.add(0, new Membership(id, id, id, null, Set.of()));
            }
            active = id;
        } else if (!orgs.isEmpty()) {
            active = orgs.get(0).id();
        }
        return new Mapped(user, new Subject(userId, roles, orgs, active));
    }

    private Object lookup(String key, Map<String, Object> first, Map<String, Object> second) {
        Object v = walk(first, paths.get(key));
        return v != null ? v : walk(second, paths.get(key));
    }

    private static Object walk(Map<String, Object> claims, String[] path) {
        // a claim whose own name has dots (Auth0's namespaced "https://app.example.com/roles") is taken as is
        if (path.length > 1 && claims != null) {
            Object literal = claims.get(String.join(".", path));
            if (literal != null) {
                return literal;
            }
        }
        Object current = claims;
        for (String part : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(part);
        }
        return current;
    }

    private static String text(Object v) {
        return v == null || v instanceof Map || v instanceof Collection ? null : String.valueOf(v);
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (o != null && !(o instanceof Map) && !(o instanceof Collection)) {
                    out.add(String.valueOf(o));
                }
            }
        } else if (v instanceof String s && !s.isBlank()) {
            for (String part : s.trim().split("[\\s,]+")) {
                out.add(part);
            }
        }
        return out;
    }

    private static List<Membership> memberships(Object v) {
        List<Membership> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (o instanceof Map<?, ?> m && m.get("id") != null) {
                    out.add(membership(String.valueOf(m.get("id")), m));
                } else if (o instanceof String s) {
                    out.add(new Membership(s, s, s, null, Set.of()));
                }
            }
        } else if (v instanceof Map<?, ?> byName) {
            for (Map.Entry<?, ?> e : byName.entrySet()) {
                Map<?, ?> m = e.getValue() instanceof Map<?, ?> inner ? inner : Map.of();
                String slug = String.valueOf(e.getKey());
                String id = m.get("id") == null ? slug : String.valueOf(m.get("id"));
                Map<Object, Object> withSlug = new java.util.HashMap<>(m);
                withSlug.putIfAbsent("slug", slug);
                out.add(membership(id, withSlug));
            }
        }
        return out;
    }

    private static Membership membership(String id, Map<?, ?> m) {
        String slug = m.get("slug") == null ? id : String.valueOf(m.get("slug"));
        String name = m.get("name") == null ? slug : String.valueOf(m.get("name"));
        String role = m.get("role") == null ? null : String.valueOf(m.get("role"));
        return new Membership(id, slug, name, role, new LinkedHashSet<>(strings(m.get("permissions"))));
    }
}
