package dev.gatehouse.server.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.gatehouse.server.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current signing key and the published key set, with rotation.
 *
 * <p>A key signs for {@code rotation}; then a new key is generated and signs, and the old one is kept in the
 * JWKS for {@code maxTokenLifetime + overlap} more, long enough for every token it signed to expire. Keys past
 * that are dropped. The signer and the JWKS text are rebuilt only when the key set changes, so signing and
 * serving the JWKS cost no key parsing per request. Thread-safe; {@link #rotateIfDue()} is called on a schedule.
 */
public final class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    /** Extra time a retired key stays published beyond the longest token lifetime: clock skew and caches. */
    static final Duration OVERLAP = Duration.ofMinutes(5);

    private final SigningKeyStore store;
    private final GatewayConfig.Algorithm algorithm;
    private final Duration rotation;
    private final Duration maxTokenLifetime;
    private final Clock clock;
    private volatile State state;

    /** The signer for the current key and the published set, swapped atomically on rotation. */
    public record Current(String keyId, JWSAlgorithm algorithm, JWSSigner signer) {
    }

    private record State(List<StoredKey> keys, Current current, String jwksJson) {
    }

    public SigningKeys(SigningKeyStore store, GatewayConfig.Algorithm algorithm, Duration rotation, Duration maxTokenLifetime,
            Clock clock) {
        this.store = store;
        this.algorithm = algorithm;
        this.rotation = rotation;
        this.maxTokenLifetime = maxTokenLifetime;
        this.clock = clock;
    }

    /** Loads the stored keys (generating the first one when there are none) and rotates if due. Blocking I/O. */
    public SigningKeys start() throws IOException {
        List<StoredKey> keys = new ArrayList<>(store.load());
        if (keys.isEmpty() || keys.get(keys.size() - 1).publishUntil() != null || !matches(keys.get(keys.size() - 1).key())) {
            keys = retireAndAdd(keys, clock.instant());
            store.save(keys);
            LOG.info("Generated a new {} signing key", algorithm);
        }
        state = build(keys);
        rotateIfDue();
        return this;
    }

    /** Rotates when the current key has signed for {@code rotation}, and drops keys no token can need. */
    public synchronized void rotateIfDue() throws IOException {
        Instant now = clock.instant();
        List<StoredKey> keys = new ArrayList<>(state.keys());
        boolean changed = keys.removeIf(k -> k.publishUntil() != null && !k.publishUntil().isAfter(now));
        StoredKey current = keys.get(keys.size() - 1);
        if (!current.activatedAt().plus(rotation).isAfter(now)) {
            keys = retireAndAdd(keys, now);
            changed = true;
            LOG.info("Rotated the signing key; the previous one stays published until its tokens have expired");
        }
        if (changed) {
            store.save(keys);
            state = build(keys);
        }
    }

    public Current current() {
        return state.current();
    }

    /** The public keys as a JWKS document. */
    public String jwksJson() {
        return state.jwksJson();
    }

    /** Every key id published now, newest last. */
    public List<String> publishedKeyIds() {
        List<String> ids = new ArrayList<>();
        for (StoredKey k : state.keys()) {
            ids.add(k.key().getKeyID());
        }
        return ids;
    }

    private List<StoredKey> retireAndAdd(List<StoredKey> keys, Instant now) {
        List<StoredKey> out = new ArrayList<>();
        for (StoredKey k : keys) {
            out.add(k.publishUntil() != null ? k : new StoredKey(k.key(), k.activatedAt(), now.plus(maxTokenLifetime).plus(OVERLAP)));
        }
        out.add(new StoredKey(generate(), now, null));
        return out;
    }

    private boolean matches(JWK key) {
        return algorithm == GatewayConfig.Algorithm.ES256 ? key instanceof ECKey : key instanceof RSAKey;
    }

    private JWK generate() {
        String kid = UUID.randomUUID().toString();
        try {
            if (algorithm == GatewayConfig.Algorithm.RS256) {
                return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
            }
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private static State build(List<StoredKey> keys) {
        List<JWK> published = new ArrayList<>();
        for (StoredKey k : keys) {
            published.add(k.key().toPublicJWK());
        }
        JWK signing = keys.get(keys.size() - 1).key();
        try {
            JWSSigner signer = signing instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) signing);
            JWSAlgorithm alg = signing instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
            return new State(List.copyOf(keys), new Current(signing.getKeyID(), alg, signer),
                    new JWKSet(published).toString(true));
        } catch (JOSEException e) {
            throw new UncheckedIOException(new IOException("the signing key cannot sign", e));
        }
    }
}
