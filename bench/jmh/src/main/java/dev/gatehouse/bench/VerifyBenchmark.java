package dev.gatehouse.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.core.Auth;
import dev.gatehouse.core.Gatehouse;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Token verification by the SDK, cached (the same token again, as a service sees it for its lifetime) and uncached
 * (a new token each time), against raw Nimbus ({@link DefaultJWTProcessor} with the same key, algorithm, type,
 * issuer, audience and required claims). One thread: the figures are per core.
 *
 * <p>The uncached benchmarks cycle through more distinct tokens than the SDK's verified-token cache holds, so
 * every call does the full work: parse, key lookup, signature, claims, building the {@link Auth}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VerifyBenchmark {
    static final String ISSUER = "https://gatehouse.example.com";
    static final String AUDIENCE = "billing-api";
    /** More than the SDK's verified-token cache (10,000), so cycling through them never hits it. */
    static final int DISTINCT = 10_500;

    @Param({"ES256", "RS256"})
    public String alg;

    private Gatehouse gatehouse;
    private DefaultJWTProcessor<SecurityContext> nimbus;
    private String[] tokens;
    private String cached;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        JWK key;
        JWSSigner signer;
        PublicKey publicKey;
        if (algorithm == JWSAlgorithm.ES256) {
            ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
            key = ec;
            signer = new ECDSASigner(ec);
            publicKey = ec.toPublicKey();
        } else {
            RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
            key = rsa;
            signer = new RSASSASigner(rsa);
            publicKey = rsa.toPublicKey();
        }
        tokens = new String[DISTINCT];
        Instant now = Instant.now();
        for (int i = 0; i < DISTINCT; i++) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID("k1").type(new JOSEObjectType("at+jwt")).build(),
                    new JWTClaimsSet.Builder().issuer(ISSUER).subject("user_" + i).audience(AUDIENCE)
                            .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                            .jwtID(UUID.randomUUID().toString()).claim("sid", "sess_" + i)
                            .claim("org", Map.of("id", "org_1", "slug", "acme", "role", "org:admin", "permissions", List.of("org:billing:read")))
                            .claim("roles", List.of("staff")).build());
            jwt.sign(signer);
            tokens[i] = jwt.serialize();
        }
        cached = tokens[0];

        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(publicKey.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        gatehouse = Gatehouse.builder().issuer(ISSUER).audience(AUDIENCE).publicKeyPem(pem, "k1").build();

        nimbus = new DefaultJWTProcessor<>();
        nimbus.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        nimbus.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()))));
        nimbus.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(AUDIENCE), new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of("sub", "exp", "iat"), null));

        // Both paths must accept the tokens, or the benchmark would measure failures.
        if (!"user_1".equals(gatehouse.verifyToken(tokens[1]).userId()) || !"user_1".equals(nimbus.process(tokens[1], null).getSubject())) {
            throw new IllegalStateException("a verifier refused a valid token");
        }
    }

    private String nextToken() {
        String t = tokens[next];
        next = next + 1 == DISTINCT ? 0 : next + 1;
        return t;
    }

    @Benchmark
    public Auth gatehouseCached() throws Exception {
        return gatehouse.verifyToken(cached);
    }

    @Benchmark
    public Auth gatehouseUncached() throws Exception {
        return gatehouse.verifyToken(nextToken());
    }

    @Benchmark
    public JWTClaimsSet nimbusRaw() throws Exception {
        return nimbus.process(nextToken(), null);
    }
}
