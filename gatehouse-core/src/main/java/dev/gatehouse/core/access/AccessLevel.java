package dev.gatehouse.core.access;

/** Who may use a route at all, before any {@link Requirement} is checked. */
public enum AccessLevel {
    /** Anyone; the identity, if any, is not looked up. */
    PUBLIC,
    /** Anyone; the identity is looked up and forwarded when present. */
    OPTIONAL,
    /** Only signed-in users. */
    AUTHENTICATED
}
