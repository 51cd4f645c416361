/**
 * Passwords: {@link dev.gatehouse.identity.passwords.PasswordHasher} (Argon2id through password4j, the parameters
 * stored in each PHC string so they can be raised while old hashes still verify, and {@code needsRehash} to
 * upgrade at the next sign-in), {@link dev.gatehouse.identity.passwords.PasswordPolicy} (length and a shipped list
 * of common passwords, with messages a person can act on) and {@link dev.gatehouse.identity.passwords.PasswordGenerator}.
 *
 * <p>Hashing is CPU- and memory-heavy by design: never call it on an event loop. Nothing here logs, stores or
 * puts a password into an exception message.
 */
package dev.gatehouse.identity.passwords;
