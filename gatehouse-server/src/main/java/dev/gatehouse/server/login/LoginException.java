package dev.gatehouse.server.login;

/**
 * A sign-in that cannot go on, with a stable reason and the HTTP status to show it with. The message is safe
 * to show to the user: it never contains a token, a code or a provider's free-text description.
 */
public final class LoginException extends Exception {
    private final String reason;
    private final int status;

    public LoginException(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    public static LoginException badRequest(String reason, String message) {
        return new LoginException(400, reason, message);
    }

    public static LoginException providerUnavailable() {
        return new LoginException(503, "provider_unavailable",
                "The identity provider cannot be reached right now. Please try again in a moment.");
    }

    public String reason() {
        return reason;
    }

    public int status() {
        return status;
    }
}
