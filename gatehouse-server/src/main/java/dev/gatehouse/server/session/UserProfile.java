package dev.gatehouse.server.session;

import java.util.Map;

/**
 * What the gateway knows about the signed-in user; every field but {@code id} may be null.
 * {@code publicMetadata} comes from the provider's {@code public_metadata} claim (or the configured path) and
 * feeds {@code {{user.public_metadata.*}}} in token templates.
 */
public record UserProfile(String id, String email, String name, String picture, Map<String, Object> publicMetadata) {
    public UserProfile {
        publicMetadata = publicMetadata == null ? Map.of() : Map.copyOf(publicMetadata);
    }

    public UserProfile(String id, String email, String name, String picture) {
        this(id, email, name, picture, Map.of());
    }
}
