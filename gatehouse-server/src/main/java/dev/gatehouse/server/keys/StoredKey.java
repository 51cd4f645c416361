package dev.gatehouse.server.keys;

import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;

/**
 * A signing key with its life: it signs from {@code activatedAt} until a newer key is activated, and is published
 * until {@code publishUntil} (null while it is current). {@link #toString()} never shows the private part.
 */
public record StoredKey(JWK key, Instant activatedAt, Instant publishUntil) {
    @Override
    public String toString() {
        return "StoredKey[kid=" + key.getKeyID() + ", activatedAt=" + activatedAt + ", publishUntil=" + publishUntil + "]";
    }
}
