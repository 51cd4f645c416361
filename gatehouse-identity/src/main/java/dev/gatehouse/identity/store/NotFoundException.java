package dev.gatehouse.identity.store;

/** The user, organization or membership the call names does not exist (any more). */
public final class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what + " does not exist");
    }
}
