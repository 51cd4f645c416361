package dev.gatehouse.server.e2e;

import static dev.gatehouse.server.e2e.LoginSteps.query;
import static dev.gatehouse.server.e2e.LoginSteps.withParam;
import static dev.gatehouse.server.e2e.ProviderRequests.drain;
import static dev.gatehouse.server.e2e.ProviderRequests.form;
import static dev.gatehouse.server.e2e.ProviderRequests.to;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sign-in as an OpenID Connect relying party (issue #2 item 3; checklist BFF-02, BFF-05..09, C-01..C-11, V7.6.2):
 * the authorization request, every way a callback can be forged, replayed or misdirected, the returnTo rules,
 * the callback's own response, client authentication at the token endpoint, and a provider outage.
 */
class LoginIT {
    static final String SECRET = "not-a-real-secret";

    static GatewayHarness h;
    static LoginSteps steps;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start();
        steps = new LoginSteps(h);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            LeakCheck.assertNothingLeaked(h, List.of(SECRET), steps.cookieValuesSeen());
        } finally {
            h.close();
        }
    }

    @Test
    void loginRedirectStartsCodeFlowWithPkceS256StateAndNonce() {
        // BFF-02, C-03: a sign-in may only start as an authorization-code request with PKCE S256, state and nonce.
        Browser b = h.browser();
        Browser.Response r = steps.start(b, "/");
        assertThat(r.status()).isEqualTo(302);
        URI auth = LoginSteps.target(r);
        assertThat(auth.toString()).startsWith(h.provider.authorizationEndpointUrl(GatewayHarness.ISSUER_ID).toString() + "?");
        Map<String, String> q = query(auth);
        assertThat(q).containsEntry("response_type", "code")
                .containsEntry("client_id", GatewayHarness.CLIENT_ID)
                .containsEntry("redirect_uri", h.baseUrl() + "/auth/callback")
                .containsEntry("code_challenge_method", "S256")
                .doesNotContainKeys("code_verifier", "client_secret");
        assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43,128}");
        assertThat(q.get("state")).matches("[A-Za-z0-9_-]{22,}");
        assertThat(q.get("nonce")).matches("[A-Za-z0-9_-]{22,}");
        assertThat(q.get("scope").split(" ")).contains("openid");
        assertThat(r.header("cache-control")).contains("no-store");
    }

    @Test
    void everyLoginStartHasItsOwnStateNonceAndChallenge() {
        // C-03, V11.5.1: state, nonce and verifier come fresh from a CSPRNG each time; a repeat would let one callback pass for another.
        Browser b = h.browser();
        int starts = 1000;
        Set<String> states = new HashSet<>();
        Set<String> nonces = new HashSet<>();
        Set<String> challenges = new HashSet<>();
        for (int i = 0; i < starts; i++) {
            Map<String, String> q = query(steps.authorizationUrl(b, null));
            states.add(q.get("state"));
            nonces.add(q.get("nonce"));
            challenges.add(q.get("code_challenge"));
        }
        assertThat(states).hasSize(starts);
        assertThat(nonces).hasSize(starts);
        assertThat(challenges).hasSize(starts);
    }

    @Test
    void loginFromFetchImageOrFrameIsRefusedWithoutLoginCookie() {
        // V7.6.2: another page must not start a sign-in behind the user's back with fetch, an <img> or an <iframe>.
        Browser b = h.browser();
        Browser.Response fetch = b.get("/auth/login?returnTo=/");
        assertThat(fetch.status()).isEqualTo(403);
        assertThat(new JsonObject(fetch.body()).getString("reason")).isEqualTo("login_requires_navigation");
        Browser.Response image = b.send(b.request("/auth/login").header("Accept", "image/avif,image/*")
                .header("Sec-Fetch-Mode", "no-cors").header("Sec-Fetch-Dest", "image").header("Sec-Fetch-Site", "cross-site")
                .GET().build());
        Browser.Response frame = b.send(b.request("/auth/login").header("Accept", "text/html")
                .header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-Dest", "iframe").header("Sec-Fetch-Site", "cross-site")
                .GET().build());
        for (Browser.Response r : List.of(fetch, image, frame)) {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.location()).isNull();
            assertThat(r.setCookies()).isEmpty();
        }
        assertThat(b.cookies()).isEmpty();
    }

    @Test
    void callbackRejectsStateFromAnotherBrowser() {
        // C-01: a callback URL captured from one browser (an attacker's own sign-in) must not sign in another (the victim's).
        Browser attacker = h.browser();
        URI callback = steps.callbackUrl(attacker, "/");
        Browser victim = h.browser();
        steps.start(victim, "/");
        assertThat(victim.cookie(h.cookieName() + "-login")).isNotNull();
        drain(h.provider);
        Browser.Response r = steps.deliver(victim, callback);
        LeakCheck.assertCleanErrorPage(r, 400, query(callback).get("code"), query(callback).get("state"));
        assertThat(r.body()).contains("another browser");
        assertThat(victim.cookie(h.cookieName())).isNull();
        assertThat(victim.get("/api/auth/session").status()).isEqualTo(401);

        // A browser that never started a sign-in fares no better.
        Browser bare = h.browser();
        Browser.Response r2 = steps.deliver(bare, steps.callbackUrl(attacker, "/"));
        LeakCheck.assertCleanErrorPage(r2, 400);
        assertThat(bare.cookies()).isEmpty();
        assertThat(to(drain(h.provider), "/token")).as("codes redeemed for the wrong browser").isEmpty();
    }

    @Test
    void callbackWithoutStateIsRejected() {
        // C-01: without state the response cannot be tied to a sign-in this browser started.
        Browser b = h.browser();
        URI callback = steps.callbackUrl(b, "/");
        for (URI stripped : List.of(withParam(callback, "state", null), withParam(callback, "state", ""))) {
            Browser.Response r = steps.deliver(b, stripped);
            LeakCheck.assertCleanErrorPage(r, 400, query(callback).get("code"));
            assertThat(r.body()).contains("no state");
        }
        assertThat(b.cookie(h.cookieName())).isNull();
    }

    @Test
    void tamperedStateIsRejectedWhileTheGenuineOneStillWorks() {
        // C-04: a state altered by one character names no sign-in; the untouched callback still completes, so the refusal was the tampering.
        Browser b = h.browser();
        URI callback = steps.callbackUrl(b, "/");
        String state = query(callback).get("state");
        String tampered = state.substring(0, state.length() - 1) + (state.endsWith("A") ? "B" : "A");
        Browser.Response r = steps.deliver(b, withParam(callback, "state", tampered));
        LeakCheck.assertCleanErrorPage(r, 400, query(callback).get("code"), state);
        assertThat(b.cookie(h.cookieName())).isNull();

        h.user("tara").enqueue();
        assertThat(steps.deliver(b, callback).status()).isEqualTo(302);
        assertThat(b.get("/api/auth/session").body()).contains("tara@example.com");
    }

    @Test
    void replayedCallbackIsRejectedAndExistingSessionIsUntouched() {
        // C-06: state is single-use; replaying the callback neither signs in again nor disturbs the session it created.
        Browser b = h.browser();
        URI callback = steps.callbackUrl(b, "/");
        h.user("rita").enqueue();
        assertThat(steps.deliver(b, callback).status()).isEqualTo(302);
        String session = b.cookie(h.cookieName());
        drain(h.provider);

        Browser.Response replay = steps.deliver(b, callback);
        LeakCheck.assertCleanErrorPage(replay, 400, query(callback).get("code"), query(callback).get("state"), session);
        assertThat(replay.setCookies()).isEmpty();
        assertThat(to(drain(h.provider), "/token")).isEmpty();
        assertThat(b.cookie(h.cookieName())).isEqualTo(session);
        Browser.Response after = b.get("/api/auth/session");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.body()).contains("rita@example.com");
    }

    @Test
    void injectedCodeFromAnotherSignInFailsPkce() {
        // C-02: an attacker pairing a victim's code with the attacker's own state sends the attacker's verifier, so the provider refuses the code.
        Browser victim = h.browser();
        URI victimCallback = steps.callbackUrl(victim, "/");
        Browser attacker = h.browser();
        URI attackerCallback = steps.callbackUrl(attacker, "/");
        URI injected = withParam(attackerCallback, "code", query(victimCallback).get("code"));
        drain(h.provider);

        Browser.Response r = steps.deliver(attacker, injected);
        LeakCheck.assertCleanErrorPage(r, 400, query(victimCallback).get("code"), query(attackerCallback).get("state"));
        assertThat(attacker.cookie(h.cookieName())).isNull();
        List<RecordedRequest> tokenCalls = to(drain(h.provider), "/token");
        assertThat(tokenCalls).hasSize(1);
        String sentVerifier = form(tokenCalls.get(0)).get("code_verifier");
        assertThat(CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(sentVerifier)).getValue())
                .as("the verifier bound to the attacker's own sign-in was sent")
                .isNotEqualTo(query(victimCallback).get("code_challenge"));
    }

    @Test
    void unknownCodeEndsInAnErrorPageWithoutTheCode() {
        // Issue #2 item 3: a code the provider refuses gives a small page with a reason, never a stack trace or the code itself.
        Browser b = h.browser();
        URI callback = steps.callbackUrl(b, "/");
        String invented = "invented-code-0f3a9c2e7b";
        Browser.Response r = steps.deliver(b, withParam(callback, "code", invented));
        LeakCheck.assertCleanErrorPage(r, 400, invented, query(callback).get("state"));
        assertThat(b.cookie(h.cookieName())).isNull();
    }

    @Test
    void idTokenCarryingAnotherNonceIsRefused() {
        // C-05, Core 3.1.3.7 step 11: an ID token minted for another nonce (injected or replayed) must create no session, and its tokens go unused.
        Browser b = h.browser();
        URI auth = steps.authorizationUrl(b, "/");
        URI callback = steps.authorize(b, withParam(auth, "nonce", "nonce-of-another-sign-in"));
        h.user("nora").enqueue();
        int upstreamBefore = h.api.seen().size() + h.spa.seen().size();
        drain(h.provider);

        Browser.Response r = steps.deliver(b, callback);
        LeakCheck.assertCleanErrorPage(r, 400, query(callback).get("code"));
        assertThat(r.body()).contains("ID token was not valid");
        assertThat(b.cookie(h.cookieName())).isNull();
        assertThat(b.get("/api/auth/session").status()).isEqualTo(401);
        List<RecordedRequest> after = drain(h.provider);
        assertThat(to(after, "/token")).as("the code was redeemed").hasSize(1);
        assertThat(to(after, "/userinfo")).as("nothing from that redemption was used").isEmpty();
        assertThat(h.api.seen().size() + h.spa.seen().size()).as("upstream calls").isEqualTo(upstreamBefore);
        assertThat(LogRecorder.lines()).anyMatch(l -> l.contains("ID token rejected") && l.contains("nonce"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nonce missing", "audience of another client", "an untrusted extra audience",
            "issuer with a trailing slash", "issuer of another provider", "issued an hour ahead"})
    void idTokenFailingValidationCreatesNoSession(String flaw) {
        // Core 3.1.3.7 steps 2, 3, 10 and 11: an ID token from elsewhere, for someone else, from the future, or not bound to this sign-in creates no session.
        Browser b = h.browser();
        URI auth = steps.authorizationUrl(b, "/");
        URI callback = steps.authorize(b, flaw.equals("nonce missing") ? withParam(auth, "nonce", null) : auth);
        long now = System.currentTimeMillis() / 1000;
        // mock-oauth2-server applies a callback's claims after its defaults, so these replace the ID token's own.
        Map<String, Object> claims = new java.util.HashMap<>(Map.of("email", "mia@example.com"));
        switch (flaw) {
            case "audience of another client" -> claims.put("aud", "another-client");
            case "an untrusted extra audience" -> claims.put("aud", List.of(GatewayHarness.CLIENT_ID, "untrusted-api"));
            case "issuer with a trailing slash" -> claims.put("iss", h.issuer() + "/");
            case "issuer of another provider" -> claims.put("iss", "https://evil.example/default");
            case "issued an hour ahead" -> claims.put("iat", now + 3600);
            default -> { }
        }
        h.provider.enqueueCallback(new DefaultOAuth2TokenCallback(GatewayHarness.ISSUER_ID, "mia", "JWT",
                List.of(GatewayHarness.CLIENT_ID), claims, 3600));
        drain(h.provider);

        Browser.Response r = steps.deliver(b, callback);
        LeakCheck.assertCleanErrorPage(r, 400, query(callback).get("code"));
        assertThat(r.body()).contains("ID token was not valid");
        assertThat(b.cookie(h.cookieName())).isNull();
        assertThat(to(drain(h.provider), "/token")).as("the code was redeemed, then its ID token refused").hasSize(1);
    }

    @ParameterizedTest(name = "iss = {0}")
    @ValueSource(strings = {"another provider", "ours with a trailing slash", "ours in upper case"})
    void issuerParameterNotExactlyOursIsRejectedBeforeAnyTokenRequest(String variant) {
        // C-07, RFC 9207: an authorization response naming another issuer may be a mix-up attack; its code must never be redeemed.
        String ours = h.issuer();
        String iss = switch (variant) {
            case "another provider" -> "https://evil.example/default";
            case "ours with a trailing slash" -> ours + "/";
            default -> ours.toUpperCase(Locale.ROOT);
        };
        Browser b = h.browser();
        URI callback = steps.callbackUrl(b, "/");
        drain(h.provider);
        Browser.Response r = steps.deliver(b, withParam(callback, "iss", iss));
        LeakCheck.assertCleanErrorPage(r, 400, query(callback).get("code"), query(callback).get("state"));
        assertThat(r.body()).contains("unexpected issuer");
        assertThat(b.cookie(h.cookieName())).isNull();
        assertThat(to(drain(h.provider), "/token")).as("token requests after a mismatching iss").isEmpty();
    }

    @Test
    void issuerParameterEqualToOursIsAccepted() {
        // RFC 9207: the exact issuer passes, so the refusals above are about the value, not the parameter.
        Browser b = h.browser();
        URI callback = steps.callbackUrl(b, "/");
        h.user("isla").enqueue();
        Browser.Response r = steps.deliver(b, withParam(callback, "iss", h.issuer()));
        assertThat(r.status()).isEqualTo(302);
        assertThat(b.get("/api/auth/session").status()).isEqualTo(200);
    }

    @Test
    void providerErrorShowsNeitherAttackerTextNorMarkup() {
        // C-08: error_description is attacker-controlled; it must not be rendered as markup or as a message, and no session results.
        String description = "<script>alert(1)</script>Call +1-555-0100 to restore your account at https://evil.example";
        Browser b = h.browser();
        String state = query(steps.authorizationUrl(b, "/")).get("state");
        drain(h.provider);
        Browser.Response r = steps.deliver(b, URI.create(h.baseUrl() + "/auth/callback?error=access_denied&error_description="
                + enc(description) + "&state=" + enc(state)));
        LeakCheck.assertCleanErrorPage(r, 400, "<script", "alert(1)", "555-0100", "evil.example", state);
        assertThat(r.body()).contains("access_denied");
        assertThat(b.cookie(h.cookieName())).isNull();

        // With an iss that is not ours, the error is not even attributed to our provider.
        Browser b2 = h.browser();
        String state2 = query(steps.authorizationUrl(b2, "/")).get("state");
        Browser.Response r2 = steps.deliver(b2, URI.create(h.baseUrl() + "/auth/callback?error=access_denied&iss="
                + enc("https://evil.example") + "&error_description=" + enc(description) + "&state=" + enc(state2)));
        LeakCheck.assertCleanErrorPage(r2, 400, "<script", "alert(1)", "555-0100", "evil.example", "access_denied", state2);
        assertThat(b2.cookie(h.cookieName())).isNull();
        assertThat(to(drain(h.provider), "/token")).isEmpty();
    }

    @ParameterizedTest(name = "returnTo = {0}")
    @ValueSource(strings = {"//evil.com", "/\\evil.com", "https://evil.com", "/%2f%2fevil.com", "/%2F%2Fevil.com",
            "/\t/evil.com", "/%09/evil.com", "\\\\evil.com", "https:evil.com", "javascript:alert(1)",
            "%0d%0aLocation: https://evil.com", "/\r\nLocation: https://evil.com", "/%5cevil.com", "///evil.com",
            "/\\/evil.com", "https://127.0.0.1.evil.com/", "data:text/html,<script>alert(1)</script>", "evil.com", ""})
    void returnToThatIsNotALocalPathLandsOnRoot(String returnTo) {
        // C-10: returnTo comes from a link anyone can craft; anything but a plain local path must not take the signed-in user elsewhere.
        Browser b = h.browser();
        Browser.Response r = steps.signIn(b, "olga", returnTo);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.headers().allValues("location")).containsExactly("/");
        assertThat(r.headers().map().keySet()).noneMatch(k -> k.equalsIgnoreCase("evil"));
        assertThat(b.cookie(h.cookieName())).isNotNull();
    }

    @Test
    void localReturnToIsHonoured() {
        // C-10: the rule must still let a user land where they started (path and query), or every deep link breaks.
        Browser b = h.browser();
        Browser.Response r = steps.signIn(b, "lena", "/app/x?y=1");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.location()).isEqualTo("/app/x?y=1");
        assertThat(b.get("/app/x?y=1").status()).isEqualTo(200);
    }

    @Test
    void callbackAnswersWithCleanRedirectAndLockedDownCookies() {
        // C-11, BFF-05..09: the code leaves the address bar at once, nothing is cached or sent on as Referer, and both cookies are locked down.
        Browser b = h.browser();
        Browser.Response login = steps.start(b, "/app/x?y=1");
        SetCookie loginCookie = SetCookie.find(login.setCookies(), "gatehouse-login").orElseThrow();
        assertLockedDown(loginCookie);
        assertThat(Integer.parseInt(loginCookie.attribute("max-age"))).isBetween(1, 600);

        URI callback = steps.authorize(b, LoginSteps.target(login));
        h.user("cara").enqueue();
        Browser.Response r = steps.deliver(b, callback);
        assertThat(r.status()).isIn(302, 303);
        assertThat(r.location()).isEqualTo("/app/x?y=1").doesNotContain("code=").doesNotContain("state=");
        assertThat(r.header("referrer-policy")).contains("no-referrer");
        assertThat(r.header("cache-control")).contains("no-store");
        assertThat(r.body()).isEmpty();
        SetCookie session = SetCookie.find(r.setCookies(), "gatehouse").orElseThrow();
        assertLockedDown(session);
        assertThat(session.value()).isEqualTo(b.cookie("gatehouse")).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void tokenRequestUsesClientSecretBasicAndTheVerifierOfTheChallenge() {
        // BFF-01, C-03: the default client authentication is client_secret_basic, and the verifier sent is the one whose S256 hash was the challenge.
        Browser b = h.browser();
        URI auth = steps.authorizationUrl(b, "/");
        URI callback = steps.authorize(b, auth);
        h.user("basil").enqueue();
        drain(h.provider);
        assertThat(steps.deliver(b, callback).status()).isEqualTo(302);

        List<RecordedRequest> tokenCalls = to(drain(h.provider), "/token");
        assertThat(tokenCalls).hasSize(1);
        RecordedRequest token = tokenCalls.get(0);
        String basic = Base64.getEncoder().encodeToString((GatewayHarness.CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(token.getHeader("Authorization")).isEqualTo("Basic " + basic);
        Map<String, String> form = form(token);
        assertThat(form).containsEntry("grant_type", "authorization_code")
                .containsEntry("code", query(callback).get("code"))
                .containsEntry("redirect_uri", h.baseUrl() + "/auth/callback")
                .doesNotContainKeys("client_secret", "client_assertion");
        assertThat(form.get("code_verifier")).matches("[A-Za-z0-9._~-]{43,128}");
        assertThat(CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(form.get("code_verifier"))).getValue())
                .isEqualTo(query(auth).get("code_challenge"));
    }

    @Test
    void clientSecretPostSendsCredentialsInTheBody() throws Exception {
        // Issue #2 item 3: client_secret_post puts id and secret in the form body only, never in a header or the URL.
        try (GatewayHarness post = GatewayHarness.builder().identity("client_auth: client_secret_post").start()) {
            LoginSteps s = new LoginSteps(post);
            drain(post.provider);
            assertThat(s.signIn(post.browser(), "pia", "/").status()).isEqualTo(302);
            List<RecordedRequest> tokenCalls = to(drain(post.provider), "/token");
            assertThat(tokenCalls).hasSize(1);
            RecordedRequest token = tokenCalls.get(0);
            assertThat(token.getHeader("Authorization")).isNull();
            assertThat(token.getRequestUrl().query()).isNull();
            assertThat(form(token)).containsEntry("client_id", GatewayHarness.CLIENT_ID).containsEntry("client_secret", SECRET)
                    .doesNotContainKey("client_assertion");
            LeakCheck.assertNothingLeaked(post, List.of(SECRET), s.cookieValuesSeen());
        }
    }

    @Test
    void privateKeyJwtSendsAnAssertionSignedWithTheConfiguredKey(@TempDir Path dir) throws Exception {
        // BFF-25, C-15: with private_key_jwt no shared secret travels; the assertion verifies with our public key and names us and the provider.
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("gatehouse-client").generate();
        Path file = dir.resolve("client-key.jwk.json");
        Files.writeString(file, key.toJSONString());
        try (GatewayHarness pkj = GatewayHarness.builder()
                .identity("client_auth: private_key_jwt\nprivate_key_file: " + file).start()) {
            LoginSteps s = new LoginSteps(pkj);
            drain(pkj.provider);
            assertThat(s.signIn(pkj.browser(), "pete", "/").status()).isEqualTo(302);
            assertThat(s.signIn(pkj.browser(), "pete", "/").status()).isEqualTo(302);
            List<RecordedRequest> tokenCalls = to(drain(pkj.provider), "/token");
            assertThat(tokenCalls).hasSize(2);
            Set<String> jtis = new HashSet<>();
            for (RecordedRequest token : tokenCalls) {
                Map<String, String> form = form(token);
                assertThat(token.getHeader("Authorization")).isNull();
                assertThat(form).containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                        .doesNotContainKey("client_secret");
                SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
                assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
                assertThat(assertion.getHeader().getKeyID()).isEqualTo("gatehouse-client");
                assertThat(assertion.verify(new ECDSAVerifier(key.toECPublicKey()))).isTrue();
                JWTClaimsSet claims = assertion.getJWTClaimsSet();
                assertThat(claims.getIssuer()).isEqualTo(GatewayHarness.CLIENT_ID);
                assertThat(claims.getSubject()).isEqualTo(GatewayHarness.CLIENT_ID);
                assertThat(claims.getAudience()).containsExactly(pkj.issuer());
                assertThat(claims.getExpirationTime()).isAfter(new java.util.Date());
                jtis.add(claims.getJWTID());
            }
            assertThat(jtis).doesNotContainNull().hasSize(2);
            LeakCheck.assertNothingLeaked(pkj, List.of(SECRET), s.cookieValuesSeen());
        }
    }

    @Test
    void providerDownShowsUnavailablePageWhileSessionsKeepWorking() throws Exception {
        // BRIEF §6: a provider outage must not sign anyone out, and a new sign-in gets a clear 503 page instead of a dead redirect.
        try (GatewayHarness down = GatewayHarness.start()) {
            LoginSteps s = new LoginSteps(down);
            Browser alice = down.signInAs("alice");
            s.remember(alice);
            down.provider.shutdown();
            // The gateway re-checks the provider at most every few seconds of its clock; move past the last good answer.
            down.clock.advance(Duration.ofMinutes(1));

            Browser newcomer = down.browser();
            for (int attempt = 0; attempt < 2; attempt++) {
                Browser.Response login = s.start(newcomer, "/");
                LeakCheck.assertCleanErrorPage(login, 503);
                assertThat(login.body()).contains("unavailable");
            }
            assertThat(alice.get("/app/x").status()).isEqualTo(200);
            assertThat(alice.get("/api/auth/session").status()).isEqualTo(200);
            LeakCheck.assertNothingLeaked(down, List.of(SECRET), s.cookieValuesSeen());
        }
    }

    private static void assertLockedDown(SetCookie c) {
        assertThat(c.has("secure")).as(c + " Secure").isTrue();
        assertThat(c.has("httponly")).as(c + " HttpOnly").isTrue();
        assertThat(c.attribute("path")).as(c + " Path").isEqualTo("/");
        assertThat(c.has("domain")).as(c + " Domain").isFalse();
        assertThat(c.attribute("samesite")).as(c + " SameSite").isEqualToIgnoringCase("Lax");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
