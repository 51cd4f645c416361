package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenID Connect Back-Channel Logout 1.0 on the relying-party side, with logout tokens signed by the provider's
 * own key (mock-oauth2-server signs any claims we give it with its per-issuer key, the one its JWKS publishes), so
 * every rejection below is caused by the one claim or header a case changes, never by a bad signature. Each
 * refused token names a user who is signed in: if the check were missing, her session would end.
 */
class BackchannelLogoutIT {
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    static GatewayHarness h;
    static final List<String> postedTokens = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    @Test
    void logoutTokenWithSubEndsEverySessionOfThatUserAndNoOther() {
        // Without sid the provider means "this user, everywhere": both of alice's browsers go, bob stays.
        Browser alice1 = h.user("alice").claim("sid", "op-alice-1").signIn();
        Browser alice2 = h.user("alice").claim("sid", "op-alice-2").signIn();
        Browser bob = h.user("bob").claim("sid", "op-bob-1").signIn();

        Browser.Response r = postLogoutToken(signedByProvider(logoutClaims("alice", null)));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("cache-control")).contains("no-store");
        assertThat(signedIn(alice1)).isFalse();
        assertThat(signedIn(alice2)).isFalse();
        assertThat(signedIn(bob)).isTrue();
    }

    @Test
    void logoutTokenWithSidEndsOnlyThatSession() {
        // A provider session maps to one browser: logging out one device must not sign the user out of the others.
        Browser alice1 = h.user("alice").claim("sid", "op-alice-1").signIn();
        Browser alice2 = h.user("alice").claim("sid", "op-alice-2").signIn();

        Browser.Response r = postLogoutToken(signedByProvider(logoutClaims(null, "op-alice-1")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(signedIn(alice1)).isFalse();
        assertThat(signedIn(alice2)).isTrue();
    }

    @Test
    void logoutTokenWithSubAndAnotherUsersSidEndsNothing() {
        // With both claims a session must match both: alice's sub must not reach bob's session through its sid.
        Browser alice = h.user("alice").claim("sid", "op-alice-3").signIn();
        Browser bob = h.user("bob").claim("sid", "op-bob-3").signIn();

        Browser.Response r = postLogoutToken(signedByProvider(logoutClaims("alice", "op-bob-3")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(signedIn(alice)).isTrue();
        assertThat(signedIn(bob)).isTrue();
    }

    @Test
    void logoutForASessionThatIsAlreadyGoneStillSucceeds() {
        // BCL §2.7: a provider retrying or logging out twice must not see an error once the session is gone.
        Browser dave = h.user("dave").claim("sid", "op-dave-1").signIn();
        assertThat(postLogoutToken(signedByProvider(logoutClaims("dave", "op-dave-1"))).status()).isEqualTo(200);
        assertThat(signedIn(dave)).isFalse();

        Browser.Response again = postLogoutToken(signedByProvider(logoutClaims("dave", "op-dave-1")));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("cache-control")).contains("no-store");
    }

    @Test
    void replayedLogoutTokenIsRefusedAndDoesNotEndTheNextSession() {
        // A captured logout token replayed later must not sign the user out again: its jti was already used.
        h.user("erin").claim("sid", "op-erin-1").signIn();
        String token = signedByProvider(logoutClaims("erin", null));
        assertThat(postLogoutToken(token).status()).isEqualTo(200);
        Browser erinAgain = h.user("erin").claim("sid", "op-erin-2").signIn();

        Browser.Response replay = postLogoutToken(token);

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.header("cache-control")).contains("no-store");
        assertThat(signedIn(erinAgain)).isTrue();
    }

    @Test
    void serverToServerPostNeedsNoCookieNorCsrfHeaderAndIgnoresUnknownParameters() {
        // The provider calls us directly (no browser cookie, no X-CSRF), and BCL §2.5 allows extra form fields.
        Browser frank = h.user("frank").claim("sid", "op-frank-1").signIn();
        String token = signedByProvider(logoutClaims("frank", null));
        Browser provider = h.browser();

        Browser.Response r = provider.send(provider.request("/auth/backchannel-logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("foo=bar&logout_token=" + form(token) + "&state=ignored"))
                .build());

        assertThat(r.status()).isEqualTo(200);
        assertThat(signedIn(frank)).isFalse();
    }

    @Test
    void getIsNotAllowed() {
        // The endpoint only takes form POSTs; a GET (a link, a crawler) must change nothing and say so.
        Browser carol = h.user("carol").claim("sid", "op-carol-get").signIn();
        Browser.Response r = h.browser().get("/auth/backchannel-logout?logout_token="
                + form(signedByProvider(logoutClaims("carol", null))));

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("cache-control")).contains("no-store");
        assertThat(signedIn(carol)).isTrue();
    }

    @Test
    void postWithoutLogoutTokenIsRefused() {
        // A form without the one required parameter is an invalid request (BCL §2.8), not a silent success.
        Browser provider = h.browser();
        Browser.Response r = provider.send(provider.request("/auth/backchannel-logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("foo=bar"))
                .build());

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("cache-control")).contains("no-store");
        assertThat(r.body()).contains("\"error\"");
    }

    /** Each case turns carol's perfectly valid logout token into one that breaks exactly one rule of BCL §2.6. */
    static Stream<Arguments> invalidLogoutTokens() {
        return Stream.of(
                invalid("events claim missing", c -> {
                    c.remove("events");
                    return signedByProvider(c);
                }),
                invalid("events without the back-channel logout member", c -> {
                    c.put("events", Map.of("http://schemas.openid.net/event/backchannel-logout-x", Map.of()));
                    return signedByProvider(c);
                }),
                invalid("events given as an array", c -> {
                    c.put("events", List.of(EVENT));
                    return signedByProvider(c);
                }),
                invalid("a nonce present", c -> {
                    c.put("nonce", "n-1");
                    return signedByProvider(c);
                }),
                invalid("aud of another client", c -> {
                    c.put("aud", "another-client");
                    return signedByProvider(c);
                }),
                invalid("iss of another issuer, signed with our provider's key", c -> {
                    c.put("iss", h.provider.issuerUrl("other").toString());
                    return signedByProvider(c);
                }),
                invalid("a token of another issuer, signed with that issuer's key", c -> {
                    c.put("iss", h.provider.issuerUrl("other").toString());
                    return h.provider.getConfig().getTokenProvider().jwt(c, Duration.ofMinutes(2), "other").serialize();
                }),
                invalid("iat an hour old", c -> {
                    c.put("iat", now().minus(Duration.ofHours(1)).getEpochSecond());
                    return signedByProvider(c);
                }),
                invalid("iat ten minutes in the future", c -> {
                    c.put("iat", now().plus(Duration.ofMinutes(10)).getEpochSecond());
                    return signedByProvider(c);
                }),
                invalid("exp in the past", c -> {
                    c.put("iat", now().minus(Duration.ofMinutes(3)).getEpochSecond());
                    c.put("exp", now().minus(Duration.ofMinutes(2)).getEpochSecond());
                    return signedByProvider(c);
                }),
                invalid("neither sub nor sid", c -> {
                    c.remove("sub");
                    c.remove("sid");
                    return signedByProvider(c);
                }),
                invalid("jti missing", c -> {
                    c.remove("jti");
                    return signedByProvider(c);
                }),
                invalid("alg none (unsigned)", c -> new PlainJWT(claimsSet(c)).serialize()),
                invalid("HS256 keyed with the provider's public RSA key", c -> {
                    try {
                        RSAKey published = h.provider.getConfig().getTokenProvider().publicJwkSet(GatewayHarness.ISSUER_ID)
                                .getKeys().get(0).toRSAKey();
                        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(),
                                claimsSet(c));
                        jwt.sign(new MACSigner(published.toRSAPublicKey().getEncoded()));
                        return jwt.serialize();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }),
                invalid("signed by a key not in the provider's JWKS (same kid)", c -> {
                    try {
                        RSAKey stranger = new RSAKeyGenerator(2048).keyID(GatewayHarness.ISSUER_ID).generate();
                        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(stranger.getKeyID())
                                .type(new JOSEObjectType("logout+jwt")).build(), claimsSet(c));
                        jwt.sign(new RSASSASigner(stranger));
                        return jwt.serialize();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }),
                invalid("one bit of the provider's signature flipped", c -> {
                    String[] parts = signedByProvider(c).split("\\.");
                    byte[] signature = new Base64URL(parts[2]).decode();
                    signature[signature.length / 2] ^= 0x01;
                    return parts[0] + "." + parts[1] + "." + Base64URL.encode(signature);
                }),
                invalid("not a JWT at all", c -> "not-a-jwt"));
    }

    @ParameterizedTest(name = "{0}: 400 and the session survives")
    @MethodSource("invalidLogoutTokens")
    void invalidLogoutTokenIsRefusedAndEndsNoSession(String description, Function<Map<String, Object>, String> forge) {
        // BCL §2.6: any failed check answers 400 and changes nothing, or anyone could sign users out.
        String sid = "op-carol-" + UUID.randomUUID();
        Browser carol = h.user("carol").claim("sid", sid).signIn();

        Browser.Response r = postLogoutToken(forge.apply(logoutClaims("carol", sid)));

        assertThat(r.status()).as(description).isEqualTo(400);
        assertThat(r.header("cache-control")).contains("no-store");
        assertThat(r.body()).contains("\"error\"");
        assertThat(signedIn(carol)).as(description).isTrue();
    }

    @Test
    void noLogoutTokenReachesTheLogsOrAnyResponse() {
        // The logout tokens are bearer credentials for signing users out; like every token they stay out of logs.
        h.user("grace").claim("sid", "op-grace-1").signIn();
        postLogoutToken(signedByProvider(logoutClaims("grace", null)));
        Map<String, Object> nonce = logoutClaims("grace", null);
        nonce.put("nonce", "n-2");
        postLogoutToken(signedByProvider(nonce));

        List<String> tokens;
        synchronized (postedTokens) {
            tokens = List.copyOf(postedTokens);
        }
        assertThat(LogRecorder.lines()).noneMatch(line -> tokens.stream().anyMatch(line::contains));
        assertThat(h.responses().leaks(tokens)).isEmpty();
    }

    private static Arguments invalid(String description, Function<Map<String, Object>, String> forge) {
        return Arguments.of(description, forge);
    }

    private static Instant now() {
        return h.clock.instant();
    }

    /** The claims of a logout token the provider itself would send (BCL §2.4); sub and sid may be null. */
    static Map<String, Object> logoutClaims(String subject, String sid) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", h.issuer());
        c.put("aud", GatewayHarness.CLIENT_ID);
        c.put("iat", now().getEpochSecond());
        c.put("exp", now().plus(Duration.ofMinutes(2)).getEpochSecond());
        c.put("jti", UUID.randomUUID().toString());
        c.put("events", Map.of(EVENT, Map.of()));
        if (subject != null) {
            c.put("sub", subject);
        }
        if (sid != null) {
            c.put("sid", sid);
        }
        return c;
    }

    /** Signs exactly these claims with the provider's own signing key, the one in its published JWKS. */
    static String signedByProvider(Map<String, Object> claims) {
        return h.provider.getConfig().getTokenProvider().jwt(claims, Duration.ofMinutes(2), GatewayHarness.ISSUER_ID).serialize();
    }

    private static JWTClaimsSet claimsSet(Map<String, Object> claims) {
        try {
            return JWTClaimsSet.parse(claims);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** POSTs the token as the provider does: a form, no cookie, no CSRF header. */
    static Browser.Response postLogoutToken(String token) {
        synchronized (postedTokens) {
            postedTokens.add(token);
        }
        Browser provider = h.browser();
        return provider.send(provider.request("/auth/backchannel-logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + form(token)))
                .build());
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static boolean signedIn(Browser browser) {
        return browser.get("/api/auth/session").status() == 200;
    }
}
