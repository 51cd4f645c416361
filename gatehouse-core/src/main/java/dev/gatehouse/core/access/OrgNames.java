package dev.gatehouse.core.access;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Clerk's {@code org:} normalisation: organization roles and permissions are compared in their prefixed form,
 * so {@code admin} and {@code org:admin} name the same role.
 */
final class OrgNames {
    private static final String PREFIX = "org:";

    private OrgNames() {
    }

    static String normalize(String name) {
        return name.startsWith(PREFIX) ? name : PREFIX + name;
    }

    static Set<String> normalizeAll(Collection<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            out.add(normalize(name));
        }
        return Set.copyOf(out);
    }
}
