package dev.gatehouse.identity.provider;

import dev.gatehouse.identity.users.UserId;
import java.time.Instant;
import java.util.Set;

/**
 * A browser's state at the provider, found by its {@code gatehouse-idp} cookie. Anonymous (null {@code userId})
 * until a sign-in, which replaces it with a new cookie; {@code sessionId} is the public {@code sid} of the
 * signed-in session. {@code clients} are the clients that received a code in this session (for back-channel
 * logout). Immutable; {@link BrowserSessions} swaps whole values.
 */
record BrowserSession(String cookieHash, String csrfToken, UserId userId, String sessionId, Instant authTime,
        String organizationId, Set<String> clients, Instant expiresAt) {

    BrowserSession {
        clients = Set.copyOf(clients);
    }

    boolean signedIn() {
        return userId != null;
    }

    BrowserSession withOrganization(String id) {
        return new BrowserSession(cookieHash, csrfToken, userId, sessionId, authTime, id, clients, expiresAt);
    }

    BrowserSession withClient(String clientId) {
        java.util.Set<String> more = new java.util.HashSet<>(clients);
        more.add(clientId);
        return new BrowserSession(cookieHash, csrfToken, userId, sessionId, authTime, organizationId, more, expiresAt);
    }
}
