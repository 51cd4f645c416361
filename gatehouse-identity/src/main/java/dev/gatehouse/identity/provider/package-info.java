/**
 * The embedded OpenID Connect provider's protocol logic: discovery, authorization with PKCE, hosted-page flows
 * (sign-in, sign-up, organization choice, sign-out), tokens with refresh rotation and reuse detection,
 * userinfo, revocation, end-session and back-channel logout. Entry types: {@link
 * dev.gatehouse.identity.provider.EmbeddedProvider} (starts it) and {@link
 * dev.gatehouse.identity.provider.OpenIdProvider} (what the HTTP layer calls). No HTTP framework here: the
 * {@code http} package owns Vert.x; this package never renders HTML and never runs on an event loop.
 */
package dev.gatehouse.identity.provider;
