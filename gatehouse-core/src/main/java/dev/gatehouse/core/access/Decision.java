package dev.gatehouse.core.access;

/**
 * The outcome of an {@link AccessRule}: let the request through, ask the caller to sign in (HTTP 401), or
 * refuse a signed-in caller (HTTP 403). Denials carry a stable, machine-readable reason.
 */
public sealed interface Decision {

    /** Let the request through; {@code subject} is null for an anonymous caller on a public or optional route. */
    record Allow(Subject subject) implements Decision {
    }

    /** No usable identity: the caller must sign in. */
    record SignInRequired(String reason) implements Decision {
    }

    /** Signed in, but the route's requirement is not met. */
    record Forbidden(String reason) implements Decision {
    }
}
