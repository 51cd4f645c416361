/**
 * The backend SDK: verify Gatehouse per-service tokens (and Clerk session tokens) in any Java service.
 *
 * <p>Entry type: {@link dev.gatehouse.core.Gatehouse}, built once per issuer with
 * {@link dev.gatehouse.core.Gatehouse#builder()}; {@code exp}, {@code iss} and {@code aud} are always checked.
 * {@link dev.gatehouse.core.Gatehouse#authenticateRequest} gives a {@link dev.gatehouse.core.RequestState} whose
 * {@link dev.gatehouse.core.Auth} answers {@code has(...)} questions with Clerk's {@code org:} normalisation.
 * A bad token is a 401 ({@link dev.gatehouse.core.InvalidTokenException}); keys that cannot be fetched are a 503
 * ({@link dev.gatehouse.core.KeysUnavailableException}). The JOSE library never shows in a public signature.
 */
package dev.gatehouse.core;
