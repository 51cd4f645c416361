/**
 * Sign-in as an OpenID Connect relying party: discovery, the authorization-code flow with PKCE, {@code state}
 * and {@code nonce}, the callback with RFC 9207 issuer checks and full ID-token validation, token refresh (one
 * per session however many requests wait for it) and logout with revocation and the end-session URL.
 *
 * <p>Entry types: {@link dev.gatehouse.server.login.LoginFlow} and {@link dev.gatehouse.server.login.TokenRefresher}.
 * Every protocol message is built and parsed by the Nimbus OAuth 2.0 SDK; the blocking network calls it makes
 * run on the executor given to {@link dev.gatehouse.server.login.OidcClient}, never on an event loop.
 */
package dev.gatehouse.server.login;
