package dev.gatehouse.server.session;

import dev.gatehouse.core.access.Membership;
import dev.gatehouse.core.access.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares the parts of a {@link Subject} that many sessions hold alike: memberships (organization id, slug, name,
 * role and permissions), the list of them, and global role sets. Every sign-in parses its claims into new strings,
 * so without this each session of the 500 members of one organization would carry its own copy of that
 * organization's names and permissions, most of an idle session's heap.
 *
 * <p>Values are immutable records and sets, so sharing them changes nothing but memory. At most {@code limit}
 * distinct values are kept per kind; past that, new values are stored unshared, so the tables stay bounded
 * whatever a provider sends. Thread-safe.
 */
final class SubjectInterner {
    static final int DEFAULT_LIMIT = 10_000;

    private final int limit;
    private final Map<Membership, Membership> memberships = new ConcurrentHashMap<>();
    private final Map<List<Membership>, List<Membership>> membershipLists = new ConcurrentHashMap<>();
    private final Map<Set<String>, Set<String>> roleSets = new ConcurrentHashMap<>();

    SubjectInterner(int limit) {
        this.limit = limit;
    }

    /** An equal subject whose memberships and roles are the shared instances. */
    Subject intern(Subject subject) {
        List<Membership> orgs = subject.organizations();
        if (!orgs.isEmpty()) {
            List<Membership> shared = new ArrayList<>(orgs.size());
            for (Membership m : orgs) {
                shared.add(share(memberships, m));
            }
            orgs = share(membershipLists, List.copyOf(shared));
        }
        Set<String> roles = subject.roles().isEmpty() ? Set.of() : share(roleSets, subject.roles());
        return new Subject(subject.userId(), roles, orgs, activeId(orgs, subject.activeOrganizationId()));
    }

    /** The shared membership's id string for the active organization, so that string is not kept twice. */
    private static String activeId(List<Membership> orgs, String active) {
        if (active != null) {
            for (Membership m : orgs) {
                if (m.id().equals(active)) {
                    return m.id();
                }
            }
        }
        return active;
    }

    private <T> T share(Map<T, T> table, T value) {
        T existing = table.get(value);
        if (existing != null) {
            return existing;
        }
        if (table.size() >= limit) {
            return value;
        }
        existing = table.putIfAbsent(value, value);
        return existing == null ? value : existing;
    }

    int size() {
        return memberships.size() + membershipLists.size() + roleSets.size();
    }
}
