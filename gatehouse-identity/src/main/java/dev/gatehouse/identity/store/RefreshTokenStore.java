package dev.gatehouse.identity.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Refresh tokens of the embedded provider, by hash. Blocking: never call on an event loop. Thread-safe; each
 * method is one transaction, so two requests presenting the same token cannot both rotate it.
 */
public interface RefreshTokenStore {

    void issue(RefreshToken token);

    Optional<RefreshToken> find(String tokenHash);

    /**
     * Uses the token {@code tokenHash} at {@code now}: stores {@code successorHash} when it was unused, unrevoked
     * and unexpired; revokes its family when it had been used already.
     */
    RefreshRotation rotate(String tokenHash, String successorHash, Instant now);

    /** Revokes every token of the family; returns the tokens revoked now (empty when none were live). */
    List<RefreshToken> revokeFamily(String familyId, Instant now);

    /** Revokes every token of the provider session; returns the tokens revoked now. */
    List<RefreshToken> revokeSession(String sessionId, Instant now);

    /** The client ids that hold tokens issued in the provider session, revoked or not. */
    List<String> clientsOfSession(String sessionId);
}
