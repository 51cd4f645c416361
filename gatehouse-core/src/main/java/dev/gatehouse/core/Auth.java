package dev.gatehouse.core;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who made a request, read from a verified token: the user, the session, the active organization with the
 * user's role and permissions there, global roles, and every claim. The same fields come from Gatehouse tokens
 * and from Clerk session tokens (v1 and v2), so a service can move between the two.
 */
public final class Auth {
    /** The signed-out identity: every field null or empty, every {@code has} false. */
    public static final Auth SIGNED_OUT = new Auth(null, null, null, null, null, Set.of(), Set.of(), Map.of());

    private final String userId;
    private final String sessionId;
    private final String orgId;
    private final String orgRole;
    private final String orgSlug;
    private final Set<String> orgPermissions;
    private final Set<String> roles;
    private final Map<String, Object> claims;

    Auth(String userId, String sessionId, String orgId, String orgRole, String orgSlug, Set<String> orgPermissions,
            Set<String> roles, Map<String, Object> claims) {
        this.userId = userId;
        this.sessionId = sessionId;
        this.orgId = orgId;
        this.orgRole = orgRole == null ? null : Check.withOrgPrefix(orgRole);
        this.orgSlug = orgSlug;
        Set<String> perms = new LinkedHashSet<>();
        for (String p : orgPermissions) {
            perms.add(Check.withOrgPrefix(p));
        }
        this.orgPermissions = Collections.unmodifiableSet(perms);
        this.roles = Set.copyOf(roles);
        this.claims = Collections.unmodifiableMap(claims);
    }

    public boolean isSignedIn() {
        return userId != null;
    }

    public String userId() {
        return userId;
    }

    /** The session id ({@code sid}), or null for tokens without a session. */
    public String sessionId() {
        return sessionId;
    }

    public String orgId() {
        return orgId;
    }

    /** The user's role in the active organization, {@code org:}-prefixed (e.g. {@code org:admin}), or null. */
    public String orgRole() {
        return orgRole;
    }

    public String orgSlug() {
        return orgSlug;
    }

    /** The user's permissions in the active organization, {@code org:}-prefixed. */
    public Set<String> orgPermissions() {
        return orgPermissions;
    }

    /** Global roles from the {@code roles} claim. */
    public Set<String> roles() {
        return roles;
    }

    /** Every verified claim, unmodifiable. */
    public Map<String, Object> claims() {
        return claims;
    }

    /**
     * True when every dimension the check asks about holds (they are ANDed); false for a signed-out caller, for a
     * check that asks nothing, and for organization checks without an active organization.
     */
    public boolean has(Check check) {
        if (userId == null || check == null || check.asksNothing()) {
            return false;
        }
        if (check.role() != null || check.permission() != null) {
            if (orgId == null) {
                return false;
            }
            if (check.role() != null && !Check.withOrgPrefix(check.role()).equals(orgRole)) {
                return false;
            }
            if (check.permission() != null && !orgPermissions.contains(Check.withOrgPrefix(check.permission()))) {
                return false;
            }
        }
        return check.globalRole() == null || roles.contains(check.globalRole());
    }

    public boolean hasRole(String orgRole) {
        return has(Check.role(orgRole));
    }

    public boolean hasPermission(String orgPermission) {
        return has(Check.permission(orgPermission));
    }

    @Override
    public String toString() {
        return userId == null ? "Auth[signed out]" : "Auth[userId=" + userId + ", orgId=" + orgId + ", orgRole=" + orgRole + "]";
    }
}
