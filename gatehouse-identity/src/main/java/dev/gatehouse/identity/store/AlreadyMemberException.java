package dev.gatehouse.identity.store;

/** The user is already a member of the organization (use {@code changeRole} to change the role). */
public final class AlreadyMemberException extends ConflictException {

    public AlreadyMemberException(String user, String organization) {
        super(user + " is already a member of " + organization);
    }
}
