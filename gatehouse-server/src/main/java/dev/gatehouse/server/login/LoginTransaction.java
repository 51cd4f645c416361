package dev.gatehouse.server.login;

import java.time.Instant;

/**
 * One sign-in in progress, kept server-side under its {@code state} and used once. {@code bindingHash} is the
 * hash of the login cookie of the browser that started it, so a callback delivered to another browser fails.
 * {@link #toString()} is redacted: the verifier and nonce are secrets until the exchange.
 */
public record LoginTransaction(String state, String bindingHash, String codeVerifier, String nonce, String returnTo,
        Instant startedAt) {
    @Override
    public String toString() {
        return "LoginTransaction[returnTo=" + returnTo + ", startedAt=" + startedAt + "]";
    }
}
