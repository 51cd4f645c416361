package dev.gatehouse.identity.store;

/** Another user has this email address (compared case-insensitively). */
public final class EmailTakenException extends ConflictException {
    private final String email;

    public EmailTakenException(String email) {
        super("the email address " + email + " is already in use");
        this.email = email;
    }

    public String email() {
        return email;
    }
}
