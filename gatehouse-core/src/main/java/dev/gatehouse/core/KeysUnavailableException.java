package dev.gatehouse.core;

/** The issuer's keys could not be fetched and none are known: nobody's fault here, answer 503. */
public final class KeysUnavailableException extends Exception {
    public KeysUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuthReason reason() {
        return AuthReason.JWK_REMOTE_FAILED_TO_LOAD;
    }
}
