/**
 * The token broker: what each upstream receives as {@code Authorization}. Per-service tokens are minted from a
 * {@link dev.gatehouse.core.tokens.TokenTemplate} and signed with the current key; exchanged tokens come from the
 * provider (RFC 8693). Both are cached per caller and audience until shortly before they expire, and dropped
 * when the caller signs out or switches organization.
 *
 * <p>Entry type: {@link dev.gatehouse.server.tokens.TokenBroker}.
 */
package dev.gatehouse.server.tokens;
