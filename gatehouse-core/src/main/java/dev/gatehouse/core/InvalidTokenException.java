package dev.gatehouse.core;

/** The token is not acceptable: the caller is at fault, answer 401. Never carries the token itself. */
public final class InvalidTokenException extends Exception {
    private final AuthReason reason;

    public InvalidTokenException(AuthReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public AuthReason reason() {
        return reason;
    }
}
