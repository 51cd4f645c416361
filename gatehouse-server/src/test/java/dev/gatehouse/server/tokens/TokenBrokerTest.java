package dev.gatehouse.server.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.tokens.TokenTemplate;
import dev.gatehouse.server.config.GatewayConfig.Algorithm;
import dev.gatehouse.server.e2e.MutableClock;
import dev.gatehouse.server.keys.FileSigningKeyStore;
import dev.gatehouse.server.keys.SigningKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenBrokerTest {
    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(TokenMinterTest.START);
    TokenBroker broker;
    ExecutorService pool;

    @BeforeEach
    void setUp() throws Exception {
        SigningKeys keys = new SigningKeys(new FileSigningKeyStore(dir.resolve("keys.json")), Algorithm.ES256,
                Duration.ofHours(1), Duration.ofMinutes(10), clock).start();
        TokenMinter minter = new TokenMinter(keys, TokenMinterTest.GATEWAY, TokenMinterTest.GATEWAY, clock, new SecureRandom());
        Map<String, TokenTemplate> templates = Map.of(
                "billing", TokenMinterTest.billing(null),
                "reports", TokenTemplate.compile("reports", "reports-api", Duration.ofMinutes(10), Map.of()));
        broker = new TokenBroker(minter, null, templates, clock);
    }

    @AfterEach
    void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Test
    void sameCallerAndTemplateReuseTheCachedToken() {
        Caller alice = TokenMinterTest.alice("session-1", "org_acme");
        assertThat(broker.mint(alice, "billing")).isEqualTo(broker.mint(alice, "billing"));
    }

    @Test
    void tokenIsReusedUntilAQuarterOfItsLifetimeRemains() {
        Caller alice = TokenMinterTest.alice("session-1", null);
        String first = broker.mint(alice, "billing");

        clock.advance(Duration.ofSeconds(44));
        assertThat(broker.mint(alice, "billing")).isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        String second = broker.mint(alice, "billing");
        assertThat(second).isNotEqualTo(first);
        assertThat(broker.mint(alice, "billing")).isEqualTo(second);
    }

    @Test
    void longLivedTokensAreRenewedAtMostThirtySecondsBeforeExpiry() {
        Caller alice = TokenMinterTest.alice("session-1", null);
        String first = broker.mint(alice, "reports");

        clock.advance(Duration.ofMinutes(9).plusSeconds(29));
        assertThat(broker.mint(alice, "reports")).isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        assertThat(broker.mint(alice, "reports")).isNotEqualTo(first);
    }

    @Test
    void eachTemplateHasItsOwnTokenForItsOwnAudience() throws Exception {
        Caller alice = TokenMinterTest.alice("session-1", null);
        assertThat(claims(broker.mint(alice, "billing")).getAudience()).containsExactly("billing-api");
        assertThat(claims(broker.mint(alice, "reports")).getAudience()).containsExactly("reports-api");
    }

    @Test
    void twoSessionsOfOneUserNeverShareAToken() throws Exception {
        String one = broker.mint(TokenMinterTest.alice("session-1", null), "billing");
        String two = broker.mint(TokenMinterTest.alice("session-2", null), "billing");
        assertThat(two).isNotEqualTo(one);
    }

    @Test
    void switchingTheActiveOrganizationMintsATokenForTheNewOne() throws Exception {
        String acme = broker.mint(TokenMinterTest.alice("session-1", "org_acme"), "billing");
        String globex = broker.mint(TokenMinterTest.alice("session-1", "org_globex"), "billing");

        assertThat(globex).isNotEqualTo(acme);
        assertThat(claims(globex).getJSONObjectClaim("org")).containsEntry("id", "org_globex");
    }

    @Test
    void forgetDropsEveryCachedTokenOfTheCaller() throws Exception {
        Caller alice = TokenMinterTest.alice("session-1", null);
        Caller bob = TokenMinterTest.alice("session-2", null);
        String billing = broker.mint(alice, "billing");
        String reports = broker.mint(alice, "reports");
        String bobs = broker.mint(bob, "billing");

        broker.forget("session-1");

        assertThat(broker.mint(alice, "billing")).isNotEqualTo(billing);
        assertThat(broker.mint(alice, "reports")).isNotEqualTo(reports);
        assertThat(broker.mint(bob, "billing")).isEqualTo(bobs);
    }

    @Test
    void parallelRequestsOfOneCallerShareOneMintedToken() throws Exception {
        Caller alice = TokenMinterTest.alice("session-1", "org_acme");
        pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return broker.mint(alice, "billing");
            }));
        }
        go.countDown();
        HashSet<String> tokens = new HashSet<>();
        for (Future<String> f : results) {
            tokens.add(f.get(30, TimeUnit.SECONDS));
        }
        assertThat(tokens).hasSize(1);
    }
}
