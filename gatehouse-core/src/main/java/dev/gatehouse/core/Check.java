package dev.gatehouse.core;

/**
 * A question for {@link Auth#has}: an organization role, an organization permission and/or a global role, all
 * of which must hold. Organization roles and permissions are compared in their {@code org:} form, so
 * {@code admin} and {@code org:admin} are the same role, and {@code invoices:create} the same permission as
 * {@code org:invoices:create}. A check that asks nothing is never satisfied.
 */
public record Check(String role, String permission, String globalRole) {

    public static Check role(String role) {
        return new Check(role, null, null);
    }

    public static Check permission(String permission) {
        return new Check(null, permission, null);
    }

    /** A role in the token's {@code roles} claim (Gatehouse's global roles), compared exactly. */
    public static Check globalRole(String role) {
        return new Check(null, null, role);
    }

    public Check andRole(String r) {
        return new Check(r, permission, globalRole);
    }

    public Check andPermission(String p) {
        return new Check(role, p, globalRole);
    }

    public Check andGlobalRole(String g) {
        return new Check(role, permission, g);
    }

    boolean asksNothing() {
        return role == null && permission == null && globalRole == null;
    }

    static String withOrgPrefix(String name) {
        String s = name;
        while (s.startsWith("org:")) {
            s = s.substring(4);
        }
        return "org:" + s;
    }
}
