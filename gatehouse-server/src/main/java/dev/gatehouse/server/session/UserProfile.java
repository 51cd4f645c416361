package dev.gatehouse.server.session;

/** What the browser may learn about the signed-in user; every field but {@code id} may be null. */
public record UserProfile(String id, String email, String name, String picture) {
}
