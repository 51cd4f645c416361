package dev.gatehouse.server.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What services need to verify per-service tokens: {@code /.well-known/jwks.json} (the published keys) and
 * {@code /.well-known/openid-configuration} (issuer and {@code jwks_uri}), so standard JWT libraries find the
 * keys from the issuer alone. Keys change only at rotation; clients refetch on an unknown {@code kid}.
 */
final class WellKnownEndpoints {
    private final ServerParts parts;
    private final String discovery;

    WellKnownEndpoints(ServerParts parts) {
        this.parts = parts;
        String issuer = parts.minter().issuer();
        this.discovery = new JsonObject()
                .put("issuer", issuer)
                .put("jwks_uri", issuer + "/.well-known/jwks.json")
                .put("response_types_supported", new JsonArray().add("code"))
                .put("subject_types_supported", new JsonArray().add("public"))
                .put("id_token_signing_alg_values_supported", new JsonArray().add(parts.config().signing().algorithm().name()))
                .encode();
    }

    void jwks(HttpServerRequest req) {
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/jwk-set+json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=60")
                .end(parts.keys().jwksJson());
    }

    void discovery(HttpServerRequest req) {
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                .end(discovery);
    }
}
