package dev.gatehouse.identity.store;

/** The change would break a uniqueness rule; the caller's fault (an admin API answers 409 or 422). */
public abstract sealed class ConflictException extends RuntimeException
        permits EmailTakenException, SlugTakenException, AlreadyMemberException {

    protected ConflictException(String message) {
        super(message);
    }
}
