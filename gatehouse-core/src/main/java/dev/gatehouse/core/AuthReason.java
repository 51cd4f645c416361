package dev.gatehouse.core;

/**
 * Why a request is signed out. The values are Clerk's reason strings where Clerk has one, so logs and docs
 * line up for services that move between the two; {@link #value()} is the string.
 */
public enum AuthReason {
    SESSION_TOKEN_MISSING("session-token-missing"),
    TOKEN_INVALID("token-invalid"),
    TOKEN_INVALID_ALGORITHM("token-invalid-algorithm"),
    TOKEN_INVALID_SIGNATURE("token-invalid-signature"),
    TOKEN_EXPIRED("token-expired"),
    TOKEN_NOT_ACTIVE_YET("token-not-active-yet"),
    TOKEN_IAT_IN_THE_FUTURE("token-iat-in-the-future"),
    TOKEN_INVALID_AUTHORIZED_PARTIES("token-invalid-authorized-parties"),
    /** Not in Clerk (which does not check {@code iss}): the issuer is not the configured one. */
    TOKEN_INVALID_ISSUER("token-invalid-issuer"),
    /** Clerk reports a wrong audience as {@code token-verification-failed}; Gatehouse names it. */
    TOKEN_INVALID_AUDIENCE("token-invalid-audience"),
    TOKEN_VERIFICATION_FAILED("token-verification-failed"),
    JWK_KID_MISMATCH("jwk-kid-mismatch"),
    JWK_REMOTE_FAILED_TO_LOAD("jwk-remote-failed-to-load");

    private final String value;

    AuthReason(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
