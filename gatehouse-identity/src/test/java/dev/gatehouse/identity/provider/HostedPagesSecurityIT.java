package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import dev.gatehouse.identity.store.DatabaseSettings;
import dev.gatehouse.identity.store.IdentityDatabase;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hosted pages under attack (security checklist AS-11 to AS-13, BCL-OP-9, ASVS V3.3, V3.4.6, V3.5, V3.7.2,
 * V7.2.4, V7.3.2, §7 test 1): framing, third-party content, the provider cookie's attributes, session fixation,
 * form CSRF, open redirects through {@code return_to} and {@code post_logout_redirect_uri}, forced logout, the
 * provider session's lifetime, and failed sign-ins that must not tell which emails have accounts.
 */
class HostedPagesSecurityIT {
    private static final Pattern URL_ATTRIBUTE = Pattern.compile("(?i)\\b(?:src|href|action|formaction|srcset)\\s*=\\s*\"([^\"]*)\"");

    @TempDir
    Path dir;
    ProviderHarness h;

    @BeforeEach
    void start() {
        h = ProviderHarness.start(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private OIDCTokenResponse tokens(TestBrowser.Page callback, ProviderHarness.Attempt attempt) throws Exception {
        AuthorizationCode code = h.code(callback, attempt);
        return (OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse();
    }

    private boolean refreshWorks(OIDCTokenResponse tokens) throws Exception {
        return h.tokenRequest(new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).getStatusCode() == 200;
    }

    @Test
    void everyPageTheProviderShowsRefusesFramingLoadsNothingThirdPartyAndIsNeverCached() {
        // RFC 9700 §4.16 (clickjacking a sign-in or consent page) and §4.2.4 (third-party content and Referer
        // leaking codes): checked on every kind of page, errors included.
        TestBrowser alice = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        URI signIn = alice.get(attempt.uri()).location();
        Map<String, HttpProbe.Answer> pages = new LinkedHashMap<>();
        pages.put("sign-in", HttpProbe.get(signIn, alice.cookie));
        pages.put("sign-up", HttpProbe.get(h.endpoint("/sign-up?" + signIn.getRawQuery()), alice.cookie));
        TestBrowser.Page form = alice.get(signIn);
        pages.put("failed sign-in", HttpProbe.post(h.endpoint("/sign-in"), alice.cookie, TestBrowser.fields("csrf",
                form.hidden("csrf"), "tx", form.hidden("tx"), "email", "alice@example.com", "password", "wrong password")));
        pages.put("forged form", HttpProbe.post(h.endpoint("/sign-in"), alice.cookie, TestBrowser.fields("csrf", "x")));
        TestBrowser.Page toChoose = alice.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"),
                "tx", form.hidden("tx"), "email", "alice@example.com", "password", ProviderHarness.PASSWORD));
        pages.put("choose organization", HttpProbe.get(toChoose.location(), alice.cookie));
        pages.put("sign out", HttpProbe.get(h.endpoint("/sign-out"), alice.cookie));
        pages.put("unknown client", HttpProbe.get(URI.create(h.attempt().uri().toString().replace("client_id=gateway",
                "client_id=nobody")), null));
        pages.put("not found", HttpProbe.get(h.endpoint("/nothing-here"), null));
        pages.put("expired sign-in", HttpProbe.get(signIn, null));
        pages.put("signed out", HttpProbe.get(h.endpoint("/sign-out"), null));

        for (var p : pages.entrySet()) {
            HttpProbe.Answer a = p.getValue();
            String what = p.getKey() + " (" + a.status() + ")";
            assertThat(a.header("Content-Type")).as(what).startsWith("text/html");
            assertThat(a.header("X-Frame-Options")).as(what).isEqualTo("DENY");
            assertThat(a.header("Content-Security-Policy")).as(what).contains("frame-ancestors 'none'")
                    .contains("default-src 'none'").doesNotContain("script-src").doesNotContain("unsafe");
            assertThat(a.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
            assertThat(a.header("Cache-Control")).as(what).isEqualTo("no-store");
            assertThat(a.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
            assertThat(a.body()).as(what).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<iframe")
                    .doesNotContainPattern("(?i)\\son[a-z]+\\s*=");
            Matcher m = URL_ATTRIBUTE.matcher(a.body());
            while (m.find()) {
                assertThat(m.group(1)).as(what + ": every link and resource is on this origin").startsWith("/")
                        .doesNotStartWith("//");
            }
        }
        HttpProbe.Answer redirect = HttpProbe.get(h.attempt().uri(), alice.cookie);
        assertThat(redirect.status()).isEqualTo(303);
        assertThat(redirect.header("Referrer-Policy")).as("redirects carrying a code send no Referer").isEqualTo("no-referrer");
        assertThat(redirect.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void theProviderCookieIsHttpOnlyLaxAndSecureWhenTheIssuerIsHttps() throws Exception {
        // ASVS V3.3.1, V3.3.4: behind TLS the cookie must never travel in clear; script must never read it.
        Path other = dir.resolve("https");
        try (IdentityDatabase db = IdentityDatabase.open(DatabaseSettings.of("jdbc:h2:file:" + other.resolve("db/identity")));
                EmbeddedProvider https = EmbeddedProvider.start(ProviderSettings.defaults(other.resolve("keys.json"))
                        .withPublicUrl(URI.create("https://login.example.test")), db)) {
            URI direct = URI.create("http://127.0.0.1:" + https.port());
            HttpProbe.Answer form = HttpProbe.get(URI.create(direct + "/sign-up"), null);
            String cookie = form.header("Set-Cookie");
            assertThat(cookie).startsWith("gatehouse-idp=").contains("; Secure").contains("; HttpOnly")
                    .contains("; SameSite=Lax").contains("; Path=/").doesNotContainIgnoringCase("Domain=");
            String value = cookie.substring("gatehouse-idp=".length(), cookie.indexOf(';'));
            assertThat(form.body()).doesNotContain(value);
            String csrf = form.body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");

            // Signing up on a provider with default settings stores an Argon2id hash with OWASP's minimum cost.
            HttpProbe.Answer created = HttpProbe.post(URI.create(direct + "/sign-up"), value, TestBrowser.fields("csrf", csrf,
                    "email", "dora@example.com", "name", "Dora", "password", "a long unusual passphrase"));
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            assertThat(created.header("Set-Cookie")).contains("; Secure").contains("; HttpOnly");
            String hash = db.users(java.time.Clock.systemUTC(), new SecureRandom()).findByEmail("dora@example.com").orElseThrow()
                    .passwordHash();
            assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        }
        HttpProbe.Answer plain = HttpProbe.get(h.attempt().uri(), null);
        assertThat(plain.header("Set-Cookie")).doesNotContain("Secure").contains("HttpOnly");
    }

    @Test
    void signingInReplacesTheProviderCookieSoAPlantedOrEarlierOneNeverBecomesASession() throws Exception {
        // Session fixation (ASVS V7.2.4): the value a browser had before typing the password, whoever planted it,
        // must be worth nothing afterwards.
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page toSignIn = browser.get(attempt.uri());
        String before = browser.cookie;
        TestBrowser.Page form = browser.get(toSignIn.location());
        TestBrowser.Page callback = browser.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"),
                "tx", form.hidden("tx"), "email", "bob@example.com", "password", ProviderHarness.PASSWORD));
        assertThat(callback.setCookies()).anyMatch(c -> c.startsWith("gatehouse-idp=") && !c.startsWith("gatehouse-idp=" + before));
        assertThat(browser.cookie).isNotEqualTo(before);
        h.code(callback, attempt);

        HttpProbe.Answer replayed = HttpProbe.get(h.attempt().uri(), before);
        assertThat(replayed.status()).isEqualTo(303);
        assertThat(URI.create(replayed.header("Location")).getPath()).as("the pre-sign-in cookie is dead").isEqualTo("/sign-in");
        assertThat(replayed.header("Set-Cookie")).as("and is replaced, not adopted").doesNotContain(before);

        String planted = "planted-by-an-attacker-0123456789abcdefghijk";
        HttpProbe.Answer plantedAnswer = HttpProbe.get(h.attempt().uri(), planted);
        assertThat(plantedAnswer.header("Set-Cookie")).as("an unknown value is replaced by the provider's own")
                .startsWith("gatehouse-idp=").doesNotContain(planted);

        TestBrowser second = new TestBrowser();
        ProviderHarness.Attempt again = h.attempt();
        String firstSid = tokens(browser.get(again.uri()), again).getOIDCTokens().getIDToken().getJWTClaimsSet()
                .getStringClaim("sid");
        ProviderHarness.Attempt other = h.attempt();
        String secondSid = tokens(h.signIn(second, other, "bob@example.com", ProviderHarness.PASSWORD), other).getOIDCTokens()
                .getIDToken().getJWTClaimsSet().getStringClaim("sid");
        assertThat(secondSid).as("every sign-in is a new provider session").isNotEqualTo(firstSid);
    }

    @Test
    void credentialPostsAnswerWithA303SoTheBrowserNeverResendsThePassword() throws Exception {
        // RFC 9700 §4.12: a 307 after the sign-in POST would make the browser post the password to the client.
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page signedIn = h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD);
        assertThat(signedIn.status()).isEqualTo(303);

        TestBrowser newcomer = new TestBrowser();
        ProviderHarness.Attempt signUp = h.attempt();
        URI signInPage = newcomer.get(signUp.uri()).location();
        TestBrowser.Page form = newcomer.get(h.endpoint("/sign-up?" + signInPage.getRawQuery()));
        TestBrowser.Page created = newcomer.post(h.endpoint("/sign-up"), TestBrowser.fields("csrf", form.hidden("csrf"),
                "tx", form.hidden("tx"), "email", "erin@example.com", "name", "Erin", "password", "a long unusual passphrase"));
        assertThat(created.status()).isEqualTo(303);

        TestBrowser alice = new TestBrowser();
        ProviderHarness.Attempt a = h.attempt();
        TestBrowser.Page toChoose = h.signIn(alice, a, "alice@example.com", ProviderHarness.PASSWORD);
        assertThat(toChoose.status()).isEqualTo(303);
        TestBrowser.Page choose = alice.get(toChoose.location());
        TestBrowser.Page chosen = alice.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf",
                choose.hidden("csrf"), "tx", choose.hidden("tx"), "organization", h.acme.id().value()));
        assertThat(chosen.status()).isEqualTo(303);
        OIDCTokenResponse tokens = tokens(chosen, a);

        TestBrowser.Page confirm = alice.get(URI.create(h.endpoint("/end-session") + "?client_id=gateway&post_logout_redirect_uri="
                + URLEncoder.encode(ProviderHarness.AFTER_LOGOUT.toString(), StandardCharsets.UTF_8)));
        TestBrowser.Page out = alice.post(h.endpoint("/sign-out"), TestBrowser.fields("csrf", confirm.hidden("csrf"),
                "client_id", confirm.hidden("client_id"), "post_logout_redirect_uri", confirm.hidden("post_logout_redirect_uri")));
        assertThat(out.status()).as(out.body()).isEqualTo(303);
        assertThat(refreshWorks(tokens)).isFalse();
    }

    @Test
    void everyFormRefusesAPostWithoutThisBrowsersCsrfTokenAndChangesNothing() throws Exception {
        // A cross-site form post rides on the provider cookie (SameSite=Lax still sends it on top-level POSTs
        // from the same site); every form must need the token bound to this browser's session.
        TestBrowser victim = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page toChoose = h.signIn(victim, attempt, "alice@example.com", ProviderHarness.PASSWORD);
        TestBrowser.Page choose = victim.get(toChoose.location());
        OIDCTokenResponse tokens = tokens(victim.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf",
                choose.hidden("csrf"), "tx", choose.hidden("tx"), "organization", h.acme.id().value())), attempt);

        TestBrowser attacker = new TestBrowser();
        TestBrowser.Page attackersForm = attacker.get(attacker.get(h.attempt().uri()).location());
        String attackersCsrf = attackersForm.hidden("csrf");
        for (String csrf : new String[] {null, "", "forged", attackersCsrf}) {
            List<HttpProbe.Answer> answers = new ArrayList<>();
            answers.add(HttpProbe.post(h.endpoint("/sign-out"), victim.cookie, TestBrowser.fields("csrf", csrf)));
            answers.add(HttpProbe.post(h.endpoint("/choose-organization"), victim.cookie, TestBrowser.fields("csrf", csrf,
                    "organization", h.globex.id().value())));
            answers.add(HttpProbe.post(h.endpoint("/sign-in"), victim.cookie, TestBrowser.fields("csrf", csrf,
                    "email", "mallory@example.com", "password", "mallorys password")));
            answers.add(HttpProbe.post(h.endpoint("/sign-up"), victim.cookie, TestBrowser.fields("csrf", csrf,
                    "email", "mallory@example.com", "name", "Mallory", "password", "a long unusual passphrase")));
            for (HttpProbe.Answer a : answers) {
                assertThat(a.status()).as(String.valueOf(csrf)).isEqualTo(400);
                assertThat(a.body()).contains("Form expired");
                assertThat(a.header("Location")).isNull();
                assertThat(a.header("Set-Cookie")).isNull();
            }
        }
        assertThat(refreshWorks(tokens)).as("the victim is still signed in").isTrue();
        ProviderHarness.Attempt next = h.attempt();
        var org = tokens(victim.get(next.uri()), next).getOIDCTokens().getIDToken().getJWTClaimsSet().getJSONObjectClaim("org");
        assertThat(org).as("the organization was not switched").containsEntry("slug", "acme");
        assertThat(h.db.users(h.clock, new SecureRandom()).findByEmail("mallory@example.com")).as("no account was created")
                .isEmpty();
    }

    @Test
    void aStandaloneOrganizationSwitchOnlyReturnsToTheClientsOwnOrigin() throws Exception {
        // Open redirectors on the provider turn its trusted origin into a phishing launch pad (ASVS V3.7.2).
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page toChoose = h.signIn(browser, attempt, "alice@example.com", ProviderHarness.PASSWORD);
        TestBrowser.Page choose = browser.get(toChoose.location());
        tokens(browser.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf", choose.hidden("csrf"),
                "tx", choose.hidden("tx"), "organization", h.acme.id().value())), attempt);

        List<String> hostile = List.of("https://evil.example/", "//evil.example/", "/local/path", "evil.example",
                "http://127.0.0.1:9@evil.example/", "http://user:pw@127.0.0.1:9/", "http://127.0.0.1:10/",
                "https://127.0.0.1:9/", "http://127.0.0.1:9.evil.example/", "http://127.0.0.1.evil.example:9/",
                "http://evil.example#@127.0.0.1:9/", "http://evil.example\\@127.0.0.1:9/", "javascript:alert(1)//127.0.0.1:9",
                "data:text/html,x", "http://127.0.0.1:9\r\nX-Injected: 1", "http://localhost:9/", "");
        for (String target : hostile) {
            TestBrowser.Page page = browser.get(h.endpoint("/choose-organization?client_id=gateway&return_to="
                    + URLEncoder.encode(target, StandardCharsets.UTF_8)));
            assertThat(page.hidden("return_to")).as(target).isNull();
            TestBrowser.Page posted = browser.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf",
                    page.hidden("csrf"), "organization", h.acme.id().value(), "client_id", "gateway", "return_to", target));
            assertThat(posted.location()).as(target).isNull();
            assertThat(posted.status()).as(target).isEqualTo(200);
        }
        TestBrowser.Page unknownClient = browser.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf",
                choose.hidden("csrf"), "organization", h.acme.id().value(), "client_id", "nobody",
                "return_to", "http://127.0.0.1:9/"));
        assertThat(unknownClient.location()).as("only a registered client's origin counts").isNull();
        TestBrowser.Page ok = browser.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf", choose.hidden("csrf"),
                "organization", h.acme.id().value(), "client_id", "gateway", "return_to", "http://127.0.0.1:9/app?x=1"));
        assertThat(ok.location()).isEqualTo(URI.create("http://127.0.0.1:9/app?x=1"));
    }

    @Test
    void aPostLogoutRedirectUriDifferingFromTheRegisteredOneInAnyByteIsRefusedAndEndsNothing() throws Exception {
        // RP-initiated logout must not become an open redirector, on the link (with or without a hint) or the form.
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        OIDCTokenResponse tokens = tokens(h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        List<String> variants = List.of("http://127.0.0.1:9/signed-out/", "http://127.0.0.1:9/signed-out?x=1",
                "http://127.0.0.1:9/Signed-out", "HTTP://127.0.0.1:9/signed-out", "https://127.0.0.1:9/signed-out",
                "http://127.0.0.1:10/signed-out", "http://user@127.0.0.1:9/signed-out", "http://127.0.0.1:9@evil.example/signed-out",
                "http://127.0.0.1:9/signed-out/../x", "//evil.example/signed-out", "/signed-out", "https://evil.example/");
        for (String variant : variants) {
            URI withHint = URI.create(h.endpoint("/end-session") + "?id_token_hint=" + tokens.getOIDCTokens().getIDTokenString()
                    + "&post_logout_redirect_uri=" + URLEncoder.encode(variant, StandardCharsets.UTF_8));
            TestBrowser.Page page = browser.get(withHint);
            assertThat(page.status()).as(variant).isEqualTo(400);
            assertThat(page.location()).as(variant).isNull();
            URI withoutHint = URI.create(h.endpoint("/end-session") + "?client_id=gateway&post_logout_redirect_uri="
                    + URLEncoder.encode(variant, StandardCharsets.UTF_8));
            assertThat(browser.get(withoutHint).location()).as(variant).isNull();
            TestBrowser.Page form = browser.get(h.endpoint("/sign-out"));
            TestBrowser.Page posted = browser.post(h.endpoint("/sign-out"), TestBrowser.fields("csrf", form.hidden("csrf"),
                    "client_id", "gateway", "post_logout_redirect_uri", variant));
            assertThat(posted.status()).as(variant).isEqualTo(400);
            assertThat(posted.location()).as(variant).isNull();
        }
        assertThat(refreshWorks(tokens)).as("no refused request ended the session").isTrue();
    }

    @Test
    void aSignOutLinkWithoutAValidIdTokenHintOnlyAsksAndEndsNothing() throws Exception {
        // ASVS V10.6.2 and BCL-OP-9: a cross-site link or image must not sign anyone out of the provider.
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        OIDCTokenResponse tokens = tokens(h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        String hint = tokens.getOIDCTokens().getIDTokenString();
        String[] parts = hint.split("\\.");
        String unsigned = parts[0] + "." + parts[1] + ".";
        String tampered = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1);
        String accessToken = tokens.getOIDCTokens().getAccessToken().getValue();

        TestBrowser.Page noHint = browser.get(h.endpoint("/end-session"));
        assertThat(noHint.status()).isEqualTo(200);
        assertThat(noHint.body()).contains("Do you want to sign out?");
        for (String bad : List.of(unsigned, tampered, accessToken, "not-a-jwt")) {
            TestBrowser.Page page = browser.get(URI.create(h.endpoint("/end-session") + "?id_token_hint=" + bad));
            assertThat(page.status()).as(bad).isEqualTo(400);
            assertThat(page.setCookies()).as(bad).isEmpty();
        }
        assertThat(refreshWorks(tokens)).isTrue();
        ProviderHarness.Attempt still = h.attempt();
        assertThat(h.code(browser.get(still.uri()), still)).as("the provider session survived").isNotNull();
    }

    @Test
    void theProviderSessionEndsAfterItsAbsoluteLifetimeHoweverActive() throws Exception {
        // ASVS V7.3.2: twelve hours after the password, the provider asks for it again.
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        h.code(h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        for (int hour = 0; hour < 11; hour++) {
            h.clock.advance(Duration.ofHours(1));
            ProviderHarness.Attempt active = h.attempt();
            h.code(browser.get(active.uri()), active);
        }
        h.clock.advance(Duration.ofMinutes(59).plusSeconds(59));
        ProviderHarness.Attempt last = h.attempt();
        h.code(browser.get(last.uri()), last);
        h.clock.advance(Duration.ofSeconds(2));
        assertThat(browser.get(h.attempt().uri()).location().getPath()).isEqualTo("/sign-in");
    }

    @Test
    void aFailedSignInLooksTheSameForAnUnknownEmailAsForAWrongPassword() {
        // Account enumeration (ASVS V6.3.8 in spirit): status, page and headers differ only in the echoed email.
        TestBrowser browser = new TestBrowser();
        TestBrowser.Page form = browser.get(browser.get(h.attempt().uri()).location());
        HttpProbe.Answer known = HttpProbe.post(h.endpoint("/sign-in"), browser.cookie, TestBrowser.fields("csrf",
                form.hidden("csrf"), "tx", form.hidden("tx"), "email", "alice@example.com", "password", "not her password"));
        HttpProbe.Answer unknown = HttpProbe.post(h.endpoint("/sign-in"), browser.cookie, TestBrowser.fields("csrf",
                form.hidden("csrf"), "tx", form.hidden("tx"), "email", "zelda@example.com", "password", "not her password"));
        assertThat(unknown.status()).isEqualTo(known.status()).isEqualTo(401);
        assertThat(unknown.body().replace("zelda@example.com", "EMAIL"))
                .isEqualTo(known.body().replace("alice@example.com", "EMAIL"));
        assertThat(unknown.headers().map().keySet()).isEqualTo(known.headers().map().keySet());
    }
}
