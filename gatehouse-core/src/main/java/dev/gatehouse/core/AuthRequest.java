package dev.gatehouse.core;

import java.util.Locale;
import java.util.Map;

/**
 * The little of an HTTP request that authentication needs: headers and cookies. Adapt your framework's request
 * with a lambda pair or use {@link #of}; names of headers are case-insensitive.
 */
public interface AuthRequest {

    /** The first value of a header, or null. */
    String header(String name);

    /** The value of a cookie, or null. */
    String cookie(String name);

    /** A request from plain maps (header names in any case). */
    static AuthRequest of(Map<String, String> headers, Map<String, String> cookies) {
        Map<String, String> lower = new java.util.HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return new AuthRequest() {
            @Override
            public String header(String name) {
                return lower.get(name.toLowerCase(Locale.ROOT));
            }

            @Override
            public String cookie(String name) {
                return cookies.get(name);
            }
        };
    }

    /** A request carrying only {@code Authorization: Bearer <token>}. */
    static AuthRequest bearer(String token) {
        return of(Map.of("authorization", "Bearer " + token), Map.of());
    }
}
