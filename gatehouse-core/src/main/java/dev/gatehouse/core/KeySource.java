package dev.gatehouse.core;

import com.nimbusds.jose.jwk.JWK;

/** Where verification keys come from: a remote JWKS or one fixed key. */
interface KeySource {

    /**
     * The key named {@code kid} (which may be null when the token names none).
     *
     * @throws InvalidTokenException with {@link AuthReason#JWK_KID_MISMATCH} when no such key exists
     * @throws KeysUnavailableException when keys cannot be fetched and none are known
     */
    JWK key(String kid) throws InvalidTokenException, KeysUnavailableException;
}
