package dev.gatehouse.identity.store;

import java.util.List;

/** The role is not in the role catalog; the message lists the roles that are. */
public final class UnknownRoleException extends RuntimeException {

    public UnknownRoleException(String role, List<String> known) {
        super("unknown role " + role + " (roles: " + String.join(", ", known) + ")");
    }
}
