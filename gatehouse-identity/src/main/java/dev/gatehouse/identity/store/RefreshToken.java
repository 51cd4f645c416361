package dev.gatehouse.identity.store;

import dev.gatehouse.identity.users.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored refresh token: its SHA-256 hash (the token itself is never stored), the family it was rotated in, and
 * the grant it continues. {@code usedAt} is set once it has been exchanged for its successor; {@code revokedAt}
 * once its family or session was ended.
 */
public record RefreshToken(
        String tokenHash,
        String familyId,
        String clientId,
        UserId userId,
        String sessionId,
        String organizationId,
        String scope,
        Instant authTime,
        Instant issuedAt,
        Instant expiresAt,
        Instant usedAt,
        Instant revokedAt) {

    public RefreshToken {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(authTime, "authTime");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The unused successor of this token, in the same family and with the same absolute expiry. */
    public RefreshToken successor(String newHash, Instant now) {
        return new RefreshToken(newHash, familyId, clientId, userId, sessionId, organizationId, scope, authTime, now,
                expiresAt, null, null);
    }
}
