package dev.gatehouse.server.session;

import java.time.Instant;

/**
 * The identity provider's tokens for one session. They never leave the gateway except as the upstream
 * {@code Authorization} of a {@code relay} route; {@link #toString()} is redacted so they cannot reach a log.
 *
 * @param accessTokenExpiresAt null when the provider gave no lifetime (the token is then relayed as is)
 * @param refreshToken         null when the provider issued none
 */
public record ProviderTokens(String accessToken, Instant accessTokenExpiresAt, String refreshToken, String idToken) {

    /** Whether the access token needs refreshing at {@code now}, given how early refreshes start. */
    public boolean expiresBefore(Instant when) {
        return accessTokenExpiresAt != null && !accessTokenExpiresAt.isAfter(when);
    }

    @Override
    public String toString() {
        return "ProviderTokens[accessTokenExpiresAt=" + accessTokenExpiresAt + ", refreshToken="
                + (refreshToken == null ? "none" : "present") + ", redacted]";
    }
}
