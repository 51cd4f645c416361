/**
 * The keys that sign per-service tokens: generated on first start (ES256 by default, RS256 as an option),
 * persisted through a {@link dev.gatehouse.server.keys.SigningKeyStore} (an owner-only file for one instance; a
 * shared store can hold them later), rotated on a schedule with overlap, and published as a JWKS.
 *
 * <p>Entry type: {@link dev.gatehouse.server.keys.SigningKeys}. A retired key stays published until every token
 * it signed has expired, so services never see a valid token whose key has vanished.
 */
package dev.gatehouse.server.keys;
