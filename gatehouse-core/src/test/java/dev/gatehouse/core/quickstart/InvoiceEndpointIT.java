package dev.gatehouse.core.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the README's quick start against a real JWKS endpoint, so the documented code is known to work. */
class InvoiceEndpointIT {

    @Test
    void theQuickStartAnswers200And401And403And503() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/.well-known/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            InvoiceEndpoint endpoint = new InvoiceEndpoint(url);
            assertThat(endpoint.handle(token(key, url, "billing-api", List.of("org:billing:read")))).isEqualTo(200);
            assertThat(endpoint.handle(token(key, url, "billing-api", List.of()))).isEqualTo(403);
            assertThat(endpoint.handle(token(key, url, "orders-api", List.of("org:billing:read")))).isEqualTo(401);
        } finally {
            server.stop(0);
        }
        assertThat(new InvoiceEndpoint(url).handle(token(key, url, "billing-api", List.of()))).isEqualTo(503);
    }

    private static String token(ECKey key, String issuer, String audience, List<String> permissions) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), new JWTClaimsSet.Builder()
                .issuer(issuer).subject("user_1").audience(audience).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                .claim("org", Map.of("id", "org_1", "slug", "acme", "role", "org:member", "permissions", permissions)).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }
}
