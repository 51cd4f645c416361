package dev.gatehouse.server.session;

import dev.gatehouse.core.access.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One signed-in browser. Immutable; changes (activity, refreshed tokens) produce a copy that is saved again.
 *
 * @param key               the store key: the hash of the cookie value, never the value itself
 * @param publicId          an id that may be shown to the browser and put in tokens ({@code sid})
 * @param providerSubject   the provider's {@code sub}, kept for back-channel logout
 * @param providerSessionId the provider's {@code sid} claim, or null
 */
public record Session(
        String key,
        String publicId,
        UserProfile user,
        Subject subject,
        ProviderTokens tokens,
        String providerSubject,
        String providerSessionId,
        Instant createdAt,
        Instant lastSeenAt,
        Instant absoluteExpiresAt) {

    public Session {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(publicId, "publicId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(tokens, "tokens");
    }

    public Instant idleExpiresAt(Duration idleTimeout) {
        Instant idle = lastSeenAt.plus(idleTimeout);
        return idle.isBefore(absoluteExpiresAt) ? idle : absoluteExpiresAt;
    }

    public Session seenAt(Instant now) {
        return new Session(key, publicId, user, subject, tokens, providerSubject, providerSessionId, createdAt, now, absoluteExpiresAt);
    }

    public Session withTokens(ProviderTokens newTokens) {
        return new Session(key, publicId, user, subject, newTokens, providerSubject, providerSessionId, createdAt, lastSeenAt, absoluteExpiresAt);
    }

    public Session withSubject(Subject newSubject) {
        return new Session(key, publicId, user, newSubject, tokens, providerSubject, providerSessionId, createdAt, lastSeenAt, absoluteExpiresAt);
    }

    @Override
    public String toString() {
        return "Session[publicId=" + publicId + ", user=" + user.id() + "]";
    }
}
