package dev.gatehouse.core.access;

import java.util.Objects;
import java.util.Optional;

/**
 * A route's access rule: an {@link AccessLevel} and a {@link Requirement}. Built once at config load;
 * {@link #decide} is pure and cheap enough for every request.
 */
public record AccessRule(AccessLevel level, Requirement requirement) {

    public static final String SIGNED_OUT = "signed_out";
    public static final String MISSING_ROLE = "missing_role";
    public static final String ORGANIZATION_REQUIRED = "organization_required";
    public static final String MISSING_ORGANIZATION_ROLE = "missing_organization_role";
    public static final String MISSING_PERMISSION = "missing_permission";

    private static final Decision ALLOW_ANONYMOUS = new Decision.Allow(null);
    private static final Decision SIGN_IN = new Decision.SignInRequired(SIGNED_OUT);

    public AccessRule {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(requirement, "requirement");
        if (level != AccessLevel.AUTHENTICATED && !requirement.isEmpty()) {
            throw new IllegalArgumentException("a requirement needs access: authenticated");
        }
    }

    /** Whether the rule needs the caller's session at all. */
    public boolean needsIdentity() {
        return level != AccessLevel.PUBLIC;
    }

    /**
     * Decides for a caller. {@code subject} is empty when the caller has no valid session; the reason then
     * defaults to {@value #SIGNED_OUT}.
     */
    public Decision decide(Optional<Subject> subject) {
        return decide(subject.orElse(null), SIGNED_OUT);
    }

    /** As {@link #decide(Optional)}, with the reason to give when {@code subject} is null (e.g. {@code session_expired}). */
    public Decision decide(Subject subject, String signedOutReason) {
        switch (level) {
            case PUBLIC:
                return ALLOW_ANONYMOUS;
            case OPTIONAL:
                return subject == null ? ALLOW_ANONYMOUS : new Decision.Allow(subject);
            default:
                if (subject == null) {
                    return SIGNED_OUT.equals(signedOutReason) ? SIGN_IN : new Decision.SignInRequired(signedOutReason);
                }
                String missing = missing(subject);
                return missing == null ? new Decision.Allow(subject) : new Decision.Forbidden(missing);
        }
    }

    private String missing(Subject subject) {
        if (!subject.roles().containsAll(requirement.roles())) {
            return MISSING_ROLE;
        }
        boolean needsOrg = requirement.organization() != null
                || !requirement.organizationRoles().isEmpty()
                || !requirement.permissions().isEmpty();
        if (!needsOrg) {
            return null;
        }
        Membership org = subject.activeOrganization().orElse(null);
        if (org == null) {
            return ORGANIZATION_REQUIRED;
        }
        String wanted = requirement.organization();
        if (wanted != null && !Requirement.ANY_ORGANIZATION.equals(wanted) && !org.isNamed(wanted)) {
            return ORGANIZATION_REQUIRED;
        }
        if (!requirement.organizationRoles().isEmpty()
                && (org.role() == null || !requirement.organizationRoles().contains(org.role()))) {
            return MISSING_ORGANIZATION_ROLE;
        }
        if (!org.permissions().containsAll(requirement.permissions())) {
            return MISSING_PERMISSION;
        }
        return null;
    }
}
