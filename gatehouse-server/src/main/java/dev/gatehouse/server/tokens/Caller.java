package dev.gatehouse.server.tokens;

import dev.gatehouse.core.access.Subject;
import dev.gatehouse.server.session.UserProfile;

/**
 * Who a token is minted for: a signed-in session, or a Bearer client.
 *
 * @param cacheKey  groups the caller's cached tokens: the session's store key, or a hash of the Bearer token
 * @param sessionId the public session id for the {@code sid} claim, or null for a Bearer client
 */
public record Caller(String cacheKey, UserProfile user, Subject subject, String sessionId) {
}
