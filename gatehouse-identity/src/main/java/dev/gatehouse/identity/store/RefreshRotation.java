package dev.gatehouse.identity.store;

/** What presenting a refresh token did: a closed family, so the token endpoint handles every case. */
public sealed interface RefreshRotation {

    /** The token was unused and valid: it is now used, and {@code successor} is stored in its place. */
    record Rotated(RefreshToken previous, RefreshToken successor) implements RefreshRotation {
    }

    /** The token had been used before: its whole family is now revoked. Someone holds a stolen token. */
    record Reused(RefreshToken token) implements RefreshRotation {
    }

    /** Unknown, expired or revoked: nothing changed. */
    record Invalid() implements RefreshRotation {
    }
}
