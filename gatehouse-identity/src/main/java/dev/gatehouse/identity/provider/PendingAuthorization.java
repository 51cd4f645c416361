package dev.gatehouse.identity.provider;

import java.net.URI;

/**
 * A validated authorization request waiting for the user (sign-in, sign-up or organization choice), found by its
 * transaction id {@code tx}. Bound to one browser session: another browser holding the id cannot finish it.
 * {@code forceSignIn} ({@code prompt=login} or an expired {@code max_age}) and {@code chooseOrganization}
 * ({@code prompt=select_account}) are cleared as the user completes each step.
 */
record PendingAuthorization(String tx, String clientId, URI redirectUri, String state, String nonce, String scope,
        String codeChallenge, boolean forceSignIn, boolean chooseOrganization, String boundCookieHash) {

    PendingAuthorization signedIn(String newCookieHash) {
        return new PendingAuthorization(tx, clientId, redirectUri, state, nonce, scope, codeChallenge, false,
                chooseOrganization, newCookieHash);
    }

    PendingAuthorization organizationChosen() {
        return new PendingAuthorization(tx, clientId, redirectUri, state, nonce, scope, codeChallenge, forceSignIn,
                false, boundCookieHash);
    }
}
