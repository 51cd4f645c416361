package dev.gatehouse.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an {@link Auth} from verified claims in any of three shapes: Gatehouse's ({@code org: {id, slug, role,
 * permissions}}, {@code roles}), Clerk's v2 ({@code o: {id, slg, rol, per, fpm}} with {@code fea}) and Clerk's v1
 * ({@code org_id}, {@code org_role}, {@code org_slug}, {@code org_permissions}). Malformed organization claims give
 * no organization, never an exception.
 */
final class ClaimsReader {
    private ClaimsReader() {
    }

    static Auth toAuth(Map<String, Object> claims) {
        String userId = string(claims.get("sub"));
        String sessionId = string(claims.get("sid"));
        Set<String> roles = new LinkedHashSet<>(strings(claims.get("roles")));
        Object o = claims.get("o");
        Object org = claims.get("org");
        if (o instanceof Map<?, ?> v2) {
            return new Auth(userId, sessionId, string(v2.get("id")), string(v2.get("rol")), string(v2.get("slg")),
                    clerkPermissions(string(v2.get("per")), string(v2.get("fpm")), string(claims.get("fea"))), roles, claims);
        }
        if (org instanceof Map<?, ?> gh) {
            return new Auth(userId, sessionId, string(gh.get("id")), string(gh.get("role")), string(gh.get("slug")),
                    new LinkedHashSet<>(strings(gh.get("permissions"))), roles, claims);
        }
        if (claims.get("org_id") != null) {
            return new Auth(userId, sessionId, string(claims.get("org_id")), string(claims.get("org_role")),
                    string(claims.get("org_slug")), new LinkedHashSet<>(strings(claims.get("org_permissions"))), roles, claims);
        }
        return new Auth(userId, sessionId, null, null, null, Set.of(), roles, claims);
    }

    /**
     * Clerk v2 permissions: {@code fpm} holds one decimal bitmask per organization-scoped feature of {@code fea}
     * (scopes {@code o}, {@code ou}, {@code uo}); bit i (least significant first) grants the i-th name of {@code per}.
     * Masks may exceed 64 bits, so they are read as {@link BigInteger}.
     */
    static Set<String> clerkPermissions(String per, String fpm, String fea) {
        Set<String> out = new LinkedHashSet<>();
        if (per == null || fpm == null || fea == null || per.isEmpty() || fpm.isEmpty()) {
            return out;
        }
        String[] names = per.split(",");
        List<String> orgFeatures = new ArrayList<>();
        for (String f : fea.split(",")) {
            int colon = f.indexOf(':');
            if (colon <= 0) {
                return Set.of();
            }
            String scope = f.substring(0, colon);
            if (scope.equals("o") || scope.equals("ou") || scope.equals("uo")) {
                orgFeatures.add(f.substring(colon + 1));
            }
        }
        String[] masks = fpm.split(",");
        for (int i = 0; i < masks.length && i < orgFeatures.size(); i++) {
            BigInteger mask;
            try {
                mask = new BigInteger(masks[i].trim());
            } catch (NumberFormatException e) {
                return Set.of();
            }
            if (mask.signum() < 0) {
                return Set.of(); // a negative mask has every high bit set: malformed, not "all permissions"
            }
            for (int bit = 0; bit < names.length; bit++) {
                if (mask.testBit(bit)) {
                    out.add("org:" + orgFeatures.get(i) + ":" + names[bit].trim());
                }
            }
        }
        return out;
    }

    private static String string(Object v) {
        return v instanceof String s ? s : v instanceof Number n ? n.toString() : null;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        } else if (v instanceof String s && !s.isEmpty()) {
            for (String part : s.split(",")) {
                out.add(part.trim());
            }
        }
        return out;
    }
}
