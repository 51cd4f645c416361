package dev.gatehouse.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.Gatehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A token issuer for tests: an ES256 key, its JWKS served at {@code /.well-known/jwks.json} on 127.0.0.1 (port 0),
 * and {@link #token()} to mint tokens shaped like Gatehouse's per-service tokens.
 *
 * <pre>{@code
 * try (TestIssuer issuer = TestIssuer.start()) {
 *     String token = issuer.token().subject("user_1").audience("billing-api").organization("org_1", "acme", "org:admin").sign();
 *     Gatehouse gatehouse = issuer.verifier("billing-api");
 * }
 * }</pre>
 */
public final class TestIssuer implements AutoCloseable {
    private final HttpServer server;
    private final List<ECKey> published = new ArrayList<>();
    private volatile ECKey current;

    private TestIssuer() throws IOException {
        current = newKey();
        published.add(current);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Starts an issuer with a fresh key. */
    public static TestIssuer start() {
        try {
            return new TestIssuer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The issuer URL ({@code iss}), e.g. {@code http://127.0.0.1:41234}. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String jwksUrl() {
        return issuer() + "/.well-known/jwks.json";
    }

    /** A verifier that trusts this issuer for the given audience. */
    public Gatehouse verifier(String audience) {
        return Gatehouse.builder().issuer(issuer()).audience(audience).jwksUrl(jwksUrl()).build();
    }

    /** Signs new tokens with a new key; the old key stays published until {@link #retireOldKeys()}. */
    public synchronized void rotateKey() {
        current = newKey();
        published.add(current);
    }

    /** Stops publishing every key but the current one: tokens signed earlier no longer verify. */
    public synchronized void retireOldKeys() {
        published.removeIf(k -> k != current);
    }

    public TokenBuilder token() {
        return new TokenBuilder();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized String jwks() {
        List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
        for (ECKey k : published) {
            keys.add(k.toPublicJWK());
        }
        return new JWKSet(keys).toString();
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token being built; {@link #sign()} signs it with the issuer's current key. Defaults: 60 s lifetime. */
    public final class TokenBuilder {
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private String subject = "user_test";
        private final List<String> audience = new ArrayList<>();
        private Instant issuedAt = Instant.now();
        private Duration lifetime = Duration.ofSeconds(60);
        private String issuer = TestIssuer.this.issuer();

        private TokenBuilder() {
        }

        public TokenBuilder subject(String sub) {
            this.subject = sub;
            return this;
        }

        public TokenBuilder audience(String... aud) {
            audience.addAll(List.of(aud));
            return this;
        }

        public TokenBuilder sessionId(String sid) {
            return claim("sid", sid);
        }

        public TokenBuilder authorizedParty(String azp) {
            return claim("azp", azp);
        }

        public TokenBuilder roles(String... roles) {
            return claim("roles", List.of(roles));
        }

        /** The active organization, as Gatehouse puts it in the {@code org} claim. */
        public TokenBuilder organization(String id, String slug, String role, String... permissions) {
            Map<String, Object> org = new LinkedHashMap<>();
            org.put("id", id);
            org.put("slug", slug);
            org.put("role", role);
            org.put("permissions", List.of(permissions));
            return claim("org", org);
        }

        public TokenBuilder claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        public TokenBuilder issuedAt(Instant iat) {
            this.issuedAt = iat;
            return this;
        }

        public TokenBuilder expiresIn(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** Overrides {@code iss}, to test that verifiers refuse other issuers. */
        public TokenBuilder issuer(String iss) {
            this.issuer = iss;
            return this;
        }

        public String sign() {
            JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
            claims.forEach(set::claim);
            set.issuer(issuer).subject(subject).audience(audience).issueTime(Date.from(issuedAt))
                    .notBeforeTime(Date.from(issuedAt)).expirationTime(Date.from(issuedAt.plus(lifetime)))
                    .jwtID(UUID.randomUUID().toString());
            ECKey key = current;
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(new JOSEObjectType("at+jwt")).build(), set.build());
            try {
                jwt.sign(new ECDSASigner(key));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return jwt.serialize();
        }
    }
}
