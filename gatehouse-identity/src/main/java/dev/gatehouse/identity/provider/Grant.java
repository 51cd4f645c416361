package dev.gatehouse.identity.provider;

import dev.gatehouse.identity.users.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a user granted a client in one sign-in: carried by an authorization code, then by the refresh tokens
 * rotated from it. {@code organizationId} is the active organization (null: none); {@code nonce} only travels
 * from the authorization request to the first ID token.
 */
record Grant(String clientId, UserId userId, String sessionId, String organizationId, String scope, Instant authTime,
        String nonce) {

    Grant {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(authTime, "authTime");
    }

    boolean hasScope(String value) {
        for (String s : scope.split(" ")) {
            if (s.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
