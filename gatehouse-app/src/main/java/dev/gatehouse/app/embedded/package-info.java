/**
 * Runs the gateway with the embedded identity provider in one process ({@code identity.provider: embedded}).
 * Entry type: {@link dev.gatehouse.app.embedded.EmbeddedGatehouse}: opens the identity database, applies the
 * seed, starts the provider, points the gateway at it and registers the gateway as its client. It adds no
 * shortcut between the two: the gateway signs in over OpenID Connect exactly as with an outside provider.
 */
package dev.gatehouse.app.embedded;
