package dev.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JWKS cache, through {@link Gatehouse}, against a real local JWKS endpoint that can misbehave on demand. */
class RemoteKeysIT {
    private final TestClock clock = TestClock.atWholeSecond();
    private final ECKey k1 = key("k1");
    private final ECKey k2 = key("k2");
    private final JwksServer jwks = new JwksServer().publish(k1);
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        jwks.close();
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    private static ECKey key(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private Gatehouse gatehouse(String jwksUrl) {
        return gatehouse(Jws.ISSUER, jwksUrl);
    }

    private Gatehouse gatehouse(String issuer, String jwksUrl) {
        return Gatehouse.builder().issuer(issuer).audience(Jws.AUDIENCE).jwksUrl(jwksUrl).clock(clock).build();
    }

    private Gatehouse impatient(String jwksUrl) {
        return Gatehouse.builder().issuer(Jws.ISSUER).audience(Jws.AUDIENCE).jwksUrl(jwksUrl).clock(clock)
                .httpTimeout(Duration.ofMillis(300)).build();
    }

    /** A fresh token (new jti) so the verified-token cache never answers for the key cache. */
    private String token(ECKey key, String kid) {
        return token(key, kid, Jws.ISSUER);
    }

    private String token(ECKey key, String kid, String issuer) {
        Map<String, Object> claims = Jws.claims(clock.instant());
        claims.put("iss", issuer);
        try {
            return Jws.token(Jws.header("ES256", kid), claims, Jws.es256(key.toECPrivateKey()));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthReason reason(Gatehouse g, String token) throws Exception {
        return g.authenticateRequest(AuthRequest.bearer(token)).reason();
    }

    @Test
    void keysAreFetchedOnceAndKeptForTheirTtl() throws Exception {
        Gatehouse g = gatehouse(jwks.url());
        for (int i = 0; i < 5; i++) {
            assertThat(reason(g, token(k1, "k1"))).isNull();
        }
        assertThat(jwks.hits()).isEqualTo(1);
        clock.advance(RemoteKeys.TTL.minusSeconds(1));
        assertThat(reason(g, token(k1, "k1"))).isNull();
        assertThat(jwks.hits()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(reason(g, token(k1, "k1"))).isNull();
        assertThat(jwks.hits()).isEqualTo(2);
    }

    @Test
    void aKeyDroppedFromTheJwksStopsVerifyingOnceTheTtlRunsOut() throws Exception {
        Gatehouse g = gatehouse(jwks.url());
        assertThat(reason(g, token(k1, "k1"))).isNull();
        jwks.publish(k2);
        clock.advance(RemoteKeys.TTL);
        assertThat(reason(g, token(k1, "k1"))).isEqualTo(AuthReason.JWK_KID_MISMATCH);
        assertThat(reason(g, token(k2, "k2"))).isNull();
    }

    @Test
    void aKeyReplacedUnderTheSameKidIsTheOnlyOneTrustedAfterTheTtl() throws Exception {
        // Issuers that reuse a kid (e.g. "default") for a new key: the removed key must stop verifying, and the new
        // one must start, even though the kid never changed.
        ECKey replacement = key("k1");
        Gatehouse g = gatehouse(jwks.url());
        assertThat(reason(g, token(k1, "k1"))).isNull();
        jwks.publish(replacement);
        clock.advance(RemoteKeys.TTL);
        assertThat(reason(g, token(replacement, "k1"))).isNull();
        assertThat(reason(g, token(k1, "k1"))).isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
    }

    @Test
    void anUnknownKidRefetchesAndFindsARotatedKey() throws Exception {
        Gatehouse g = gatehouse(jwks.url());
        assertThat(reason(g, token(k1, "k1"))).isNull();
        jwks.publish(k1, k2);
        clock.advance(RemoteKeys.MIN_REFETCH);
        assertThat(reason(g, token(k2, "k2"))).isNull();
        assertThat(jwks.hits()).isEqualTo(2);
        assertThat(reason(g, token(k1, "k1"))).isNull();
        assertThat(jwks.hits()).isEqualTo(2);
    }

    @Test
    void anUnknownKidRightAfterAFetchIsAMismatchWithoutAnotherFetch() throws Exception {
        Gatehouse g = gatehouse(jwks.url());
        assertThat(reason(g, token(k1, "k1"))).isNull();
        jwks.publish(k1, k2);
        assertThat(reason(g, token(k2, "k2"))).isEqualTo(AuthReason.JWK_KID_MISMATCH);
        assertThat(jwks.hits()).isEqualTo(1);
        clock.advance(RemoteKeys.MIN_REFETCH.minusSeconds(1));
        assertThat(reason(g, token(k2, "k2"))).isEqualTo(AuthReason.JWK_KID_MISMATCH);
        assertThat(jwks.hits()).isEqualTo(1);
    }

    @Test
    void aFloodOfMadeUpKidsCostsOneFetchPerWindow() throws Exception {
        // Clerk's SDK refetched on every unknown kid: an attacker could turn each bogus token into a JWKS request.
        Gatehouse g = gatehouse(jwks.url());
        assertThat(reason(g, token(k1, "k1"))).isNull();
        for (int window = 1; window <= 3; window++) {
            clock.advance(RemoteKeys.MIN_REFETCH);
            for (int i = 0; i < 200; i++) {
                assertThat(reason(g, token(k1, UUID.randomUUID().toString()))).isEqualTo(AuthReason.JWK_KID_MISMATCH);
            }
            assertThat(jwks.hits()).isEqualTo(1 + window);
        }
        assertThat(reason(g, token(k1, "k1"))).isNull();
    }

    @Test
    void hostileKidsAreOnlyLookupKeys() throws Exception {
        Gatehouse g = gatehouse(jwks.url());
        for (String kid : List.of("../../../../dev/null", "' OR 1=1--", "k1 ", "K1", "", "\u0000k1", "x".repeat(10_000))) {
            RequestState state = g.authenticateRequest(AuthRequest.bearer(token(k1, kid)));
            assertThat(state.reason()).as(kid).isIn(AuthReason.JWK_KID_MISMATCH, AuthReason.TOKEN_INVALID);
            assertThat(((RequestState.SignedOut) state).message()).doesNotContain(kid.isEmpty() ? "\u0001" : kid);
        }
        assertThat(jwks.hits()).isEqualTo(1);
    }

    @Test
    void aJkuHeaderIsNeverFollowed() throws Exception {
        ECKey attacker = key("attacker");
        JwksServer canary = new JwksServer().publish(attacker);
        closeLater.add(canary);
        Gatehouse g = gatehouse(jwks.url());
        Map<String, Object> header = Jws.header("ES256", "attacker");
        header.put("jku", canary.url());
        String token = Jws.token(header, Jws.claims(clock.instant()), Jws.es256(attacker.toECPrivateKey()));
        assertThat(reason(g, token)).isEqualTo(AuthReason.JWK_KID_MISMATCH);
        assertThat(canary.hits()).isZero();
    }

    @Test
    void keysAreCachedPerIssuerNotByKidAlone() throws Exception {
        // Two issuers publishing the same kid with different keys: a kid-keyed global cache (Clerk's old bug) would
        // let issuer A's key verify a token for issuer B.
        ECKey a = key("shared");
        ECKey b = key("shared");
        JwksServer other = new JwksServer().publish(b);
        closeLater.add(other);
        jwks.publish(a);
        Gatehouse forA = gatehouse("https://a.example.com", jwks.url());
        Gatehouse forB = gatehouse("https://b.example.com", other.url());
        assertThat(reason(forA, token(a, "shared", "https://a.example.com"))).isNull();
        assertThat(reason(forB, token(b, "shared", "https://b.example.com"))).isNull();
        assertThat(reason(forB, token(a, "shared", "https://b.example.com"))).isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
        assertThat(reason(forA, token(b, "shared", "https://a.example.com"))).isEqualTo(AuthReason.TOKEN_INVALID_SIGNATURE);
        assertThat(jwks.hits()).isEqualTo(1);
        assertThat(other.hits()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsOnAColdCacheShareOneFetch() throws Exception {
        Gatehouse g = gatehouse(jwks.url());
        jwks.holdRequests();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Thread> workers = new ArrayList<>();
            List<Future<AuthReason>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String token = token(k1, "k1");
                Callable<AuthReason> call = () -> {
                    synchronized (workers) {
                        workers.add(Thread.currentThread());
                    }
                    return reason(g, token);
                };
                results.add(pool.submit(call));
            }
            assertThat(jwks.awaitArrival()).isTrue();
            // Every other worker must be waiting for the fetch in flight, not starting its own.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!allButOneWaiting(workers, threads) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(allButOneWaiting(workers, threads)).as("all other workers wait on the fetch").isTrue();
            jwks.release();
            for (Future<AuthReason> r : results) {
                assertThat(r.get()).isNull();
            }
            assertThat(jwks.hits()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean allButOneWaiting(List<Thread> workers, int expected) {
        synchronized (workers) {
            if (workers.size() < expected) {
                return false;
            }
            return workers.stream().filter(t -> t.getState() == Thread.State.BLOCKED).count() == expected - 1;
        }
    }

    @Test
    void knownKeysKeepServingWhileTheEndpointIsDownUpToTheBound() throws Exception {
        Gatehouse g = gatehouse(jwks.url());
        assertThat(reason(g, token(k1, "k1"))).isNull();
        jwks.mode(JwksServer.Mode.FAIL);
        clock.advance(RemoteKeys.TTL.plusSeconds(1));
        assertThat(reason(g, token(k1, "k1"))).isNull();
        assertThat(jwks.hits()).isEqualTo(2);
        clock.advance(RemoteKeys.MAX_STALE.minus(RemoteKeys.TTL).minusSeconds(2));
        assertThat(reason(g, token(k1, "k1"))).isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> g.authenticateRequest(AuthRequest.bearer(token(k1, "k1")))).isInstanceOf(KeysUnavailableException.class);
        // Inside the refetch window no new attempt is made, and the keys past the bound must not come back.
        assertThatThrownBy(() -> g.authenticateRequest(AuthRequest.bearer(token(k1, "k1")))).isInstanceOf(KeysUnavailableException.class);
        jwks.publish(k1);
        clock.advance(RemoteKeys.MIN_REFETCH);
        assertThat(reason(g, token(k1, "k1"))).isNull();
    }

    @Test
    void withNoKeysKnownAFailingEndpointIsKeysUnavailableNotABadToken() throws Exception {
        jwks.mode(JwksServer.Mode.FAIL);
        Gatehouse g = gatehouse(jwks.url());
        assertThatThrownBy(() -> g.authenticateRequest(AuthRequest.bearer(token(k1, "k1"))))
                .isInstanceOf(KeysUnavailableException.class)
                .satisfies(e -> assertThat(((KeysUnavailableException) e).reason().value()).isEqualTo("jwk-remote-failed-to-load"));
        assertThatThrownBy(() -> g.verifyToken(token(k1, "k1"))).isInstanceOf(KeysUnavailableException.class);
        // A request without any token needs no keys: it is simply signed out.
        assertThat(g.authenticateRequest(AuthRequest.of(Map.of(), Map.of())).reason()).isEqualTo(AuthReason.SESSION_TOKEN_MISSING);
    }

    @Test
    void aFailedFetchIsNotRepeatedByEveryRequestInTheSameWindow() throws Exception {
        // Without this, an outage at start-up sends one JWKS request per incoming request, each waiting its timeout.
        jwks.mode(JwksServer.Mode.FAIL);
        Gatehouse g = gatehouse(jwks.url());
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> g.authenticateRequest(AuthRequest.bearer(token(k1, "k1")))).isInstanceOf(KeysUnavailableException.class);
        }
        assertThat(jwks.hits()).isEqualTo(1);
        jwks.publish(k1);
        clock.advance(RemoteKeys.MIN_REFETCH);
        assertThat(reason(g, token(k1, "k1"))).isNull();
        assertThat(jwks.hits()).isEqualTo(2);
    }

    @Test
    void aClosedPortIsKeysUnavailable() throws Exception {
        JwksServer closed = new JwksServer();
        String url = closed.url();
        closed.close();
        assertThatThrownBy(() -> gatehouse(url).authenticateRequest(AuthRequest.bearer(token(k1, "k1"))))
                .isInstanceOf(KeysUnavailableException.class);
    }

    @Test
    @Timeout(30)
    void anEndpointThatNeverAnswersFailsAfterTheTimeout() throws Exception {
        jwks.mode(JwksServer.Mode.HANG);
        assertThatThrownBy(() -> impatient(jwks.url()).authenticateRequest(AuthRequest.bearer(token(k1, "k1"))))
                .isInstanceOf(KeysUnavailableException.class);
    }

    @Test
    @Timeout(30)
    void anEndpointThatStallsInTheMiddleOfTheBodyFailsAfterTheTimeout() throws Exception {
        // The request timeout of java.net.http covers the wait for headers only; the body needs its own bound.
        jwks.mode(JwksServer.Mode.STALL_BODY);
        assertThatThrownBy(() -> impatient(jwks.url()).authenticateRequest(AuthRequest.bearer(token(k1, "k1"))))
                .isInstanceOf(KeysUnavailableException.class);
    }

    @Test
    void aJwksLargerThanTheLimitIsRefused() throws Exception {
        jwks.publishPadded(RemoteKeys.MAX_BYTES + 1, k1);
        assertThatThrownBy(() -> gatehouse(jwks.url()).authenticateRequest(AuthRequest.bearer(token(k1, "k1"))))
                .isInstanceOf(KeysUnavailableException.class);
        jwks.publishPadded(RemoteKeys.MAX_BYTES, k1);
        assertThat(reason(gatehouse(jwks.url()), token(k1, "k1"))).isNull();
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        JwksServer elsewhere = new JwksServer().publish(k1);
        closeLater.add(elsewhere);
        jwks.redirectTo(elsewhere.url());
        assertThatThrownBy(() -> gatehouse(jwks.url()).authenticateRequest(AuthRequest.bearer(token(k1, "k1"))))
                .isInstanceOf(KeysUnavailableException.class);
        assertThat(elsewhere.hits()).isZero();
    }

    @Test
    void keysMarkedForEncryptionAreNotUsedToVerify() throws Exception {
        ECKey enc = new ECKey.Builder(key("k3")).keyUse(KeyUse.ENCRYPTION).build();
        jwks.publish(k1, enc);
        assertThat(reason(gatehouse(jwks.url()), token(enc, "k3"))).isEqualTo(AuthReason.JWK_KID_MISMATCH);
    }
}
