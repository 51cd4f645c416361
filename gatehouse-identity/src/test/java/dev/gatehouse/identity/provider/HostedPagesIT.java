package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hosted pages as a browser without JavaScript uses them: sign-up with the password policy, throttled
 * sign-in that does not reveal whether an account exists, organization choice, sign-out, CSRF and error pages,
 * and a scan of every answer for passwords, tokens and secrets.
 */
class HostedPagesIT {
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

    private TestBrowser.Page signUpForm(TestBrowser browser, ProviderHarness.Attempt attempt) {
        TestBrowser.Page toSignIn = browser.get(attempt.uri());
        TestBrowser.Page signIn = browser.get(toSignIn.location());
        assertThat(signIn.body()).contains("href=\"/sign-up?tx=");
        String href = signIn.body().replaceAll("(?s).*href=\"(/sign-up\\?tx=[^\"]+)\".*", "$1");
        return browser.get(h.endpoint(href));
    }

    private static String problem(TestBrowser.Page page) {
        return page.body().replaceAll("(?s).*<p class=\"problem\" role=\"alert\">([^<]*)</p>.*", "$1");
    }

    private OIDCTokenResponse redeem(TestBrowser.Page callback, ProviderHarness.Attempt attempt) throws Exception {
        AuthorizationCode code = h.code(callback, attempt);
        return (OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse();
    }

    @Test
    void signUpRefusesShortAndCommonPasswordsThenSignsTheNewUserInWithoutAnOrganization() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page form = signUpForm(browser, attempt);
        Map<String, String> fields = TestBrowser.fields("csrf", form.hidden("csrf"), "tx", form.hidden("tx"),
                "email", "carol@example.com", "name", "Carol", "password", "short");
        TestBrowser.Page tooShort = browser.post(h.endpoint("/sign-up"), fields);
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(problem(tooShort)).isEqualTo("Password is too short: use at least 10 characters.");
        assertThat(tooShort.body()).contains("value=\"carol@example.com\"").doesNotContain("short\"");

        fields.put("password", "qwerty12345");
        TestBrowser.Page common = browser.post(h.endpoint("/sign-up"), fields);
        assertThat(common.status()).isEqualTo(400);
        assertThat(problem(common)).startsWith("Password is too common");

        fields.put("email", "bob@example.com");
        fields.put("password", "a long unusual passphrase");
        TestBrowser.Page taken = browser.post(h.endpoint("/sign-up"), fields);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(problem(taken)).isEqualTo("An account with this email already exists. Sign in instead.");

        fields.put("email", "carol@example.com");
        TestBrowser.Page created = browser.post(h.endpoint("/sign-up"), fields);
        JWTClaimsSet id = redeem(created, attempt).getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertThat(id.getStringClaim("email")).isEqualTo("carol@example.com");
        assertThat(id.getStringClaim("name")).isEqualTo("Carol");
        assertThat(id.getClaim("org")).as("no membership, no org claim").isNull();
        assertThat(id.getListClaim("organizations")).isEmpty();
        assertThat(h.db.users(h.clock, new java.security.SecureRandom()).findByEmail("carol@example.com").orElseThrow()
                .lastSignIn()).isPresent();
    }

    @Test
    void failedSignInsSayTheSameForUnknownAccountsAndLockBothAlike() throws Exception {
        // The lockout must not become an oracle for which emails have accounts.
        List<String> answers = new ArrayList<>();
        for (String email : List.of("alice@example.com", "nobody@example.com")) {
            TestBrowser browser = new TestBrowser();
            ProviderHarness.Attempt attempt = h.attempt();
            TestBrowser.Page form = browser.get(browser.get(attempt.uri()).location());
            for (int i = 0; i < 5; i++) {
                TestBrowser.Page wrong = browser.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"),
                        "tx", form.hidden("tx"), "email", email, "password", "not the password " + i));
                assertThat(wrong.status()).isEqualTo(401);
                answers.add(problem(wrong));
            }
            TestBrowser.Page locked = browser.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"),
                    "tx", form.hidden("tx"), "email", email, "password", ProviderHarness.PASSWORD));
            assertThat(locked.status()).isEqualTo(429);
            answers.add(problem(locked));
        }
        assertThat(answers.subList(0, 5)).containsOnly(AccountForms.WRONG_CREDENTIALS);
        assertThat(answers.get(5)).isEqualTo("Too many attempts. Try again in 15 minutes.");
        assertThat(answers.subList(6, 12)).isEqualTo(answers.subList(0, 6));

        h.clock.advance(Duration.ofMinutes(15));
        ProviderHarness.Attempt later = h.attempt();
        TestBrowser.Page afterWindow = h.signIn(new TestBrowser(), later, "alice@example.com", ProviderHarness.PASSWORD);
        assertThat(afterWindow.status()).isEqualTo(303);
    }

    @Test
    void oneAddressIsLockedAfterTwentyFailuresWhateverTheEmails() {
        TestBrowser browser = new TestBrowser();
        TestBrowser.Page form = browser.get(browser.get(h.attempt().uri()).location());
        for (int i = 0; i < 20; i++) {
            TestBrowser.Page wrong = browser.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"),
                    "tx", form.hidden("tx"), "email", "user" + i + "@example.com", "password", "guess-" + i));
            assertThat(wrong.status()).isEqualTo(401);
        }
        TestBrowser.Page locked = browser.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"),
                "tx", form.hidden("tx"), "email", "bob@example.com", "password", ProviderHarness.PASSWORD));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(problem(locked)).startsWith("Too many attempts.");
    }

    @Test
    void choosingAnOrganizationSetsTheOrgClaimAndSelectAccountAsksAgain() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page toChoose = h.signIn(browser, attempt, "alice@example.com", ProviderHarness.PASSWORD);
        assertThat(toChoose.location().getPath()).isEqualTo("/choose-organization");
        TestBrowser.Page choose = browser.get(toChoose.location());
        assertThat(choose.body()).contains("Acme Inc").contains("Globex");
        TestBrowser.Page callback = browser.post(h.endpoint("/choose-organization"), TestBrowser.fields(
                "csrf", choose.hidden("csrf"), "tx", choose.hidden("tx"), "organization", h.globex.id().value()));
        Map<String, Object> org = redeem(callback, attempt).getOIDCTokens().getIDToken().getJWTClaimsSet().getJSONObjectClaim("org");
        assertThat(org).containsEntry("slug", "globex").containsEntry("role", "org:member");

        ProviderHarness.Attempt same = h.attempt();
        Map<String, Object> kept = redeem(browser.get(same.uri()), same).getOIDCTokens().getIDToken().getJWTClaimsSet()
                .getJSONObjectClaim("org");
        assertThat(kept).as("the choice stays for the session").containsEntry("slug", "globex");

        ProviderHarness.Attempt switching = h.attempt("prompt", "select_account");
        TestBrowser.Page toChooseAgain = browser.get(switching.uri());
        assertThat(toChooseAgain.location().getPath()).isEqualTo("/choose-organization");
        TestBrowser.Page again = browser.get(toChooseAgain.location());
        TestBrowser.Page switched = browser.post(h.endpoint("/choose-organization"), TestBrowser.fields(
                "csrf", again.hidden("csrf"), "tx", again.hidden("tx"), "organization", h.acme.id().value()));
        Map<String, Object> acme = redeem(switched, switching).getOIDCTokens().getIDToken().getJWTClaimsSet().getJSONObjectClaim("org");
        assertThat(acme).containsEntry("slug", "acme").containsEntry("role", "org:admin");
    }

    @Test
    void formsWithoutTheSessionsCsrfTokenAreRefused() {
        TestBrowser browser = new TestBrowser();
        TestBrowser.Page form = browser.get(browser.get(h.attempt().uri()).location());
        TestBrowser.Page forged = browser.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", "forged", "tx",
                form.hidden("tx"), "email", "bob@example.com", "password", ProviderHarness.PASSWORD));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.body()).contains("Form expired");
        assertThat(forged.location()).isNull();
    }

    @Test
    void anotherBrowserCannotFinishASignInStartedElsewhere() {
        TestBrowser victim = new TestBrowser();
        URI signIn = victim.get(h.attempt().uri()).location();
        TestBrowser attacker = new TestBrowser();
        TestBrowser.Page page = attacker.get(signIn);
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("Sign-in expired");
    }

    @Test
    void signOutAsksForConfirmationThenEndsTheProviderSession() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        OIDCTokenResponse tokens = redeem(h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD), attempt);
        TestBrowser.Page confirm = browser.get(h.endpoint("/sign-out"));
        assertThat(confirm.body()).contains("Do you want to sign out?");
        assertThat(browser.get(h.attempt().uri()).location().getPath()).as("a GET alone signs nobody out")
                .isEqualTo("/auth/callback");
        TestBrowser.Page done = browser.post(h.endpoint("/sign-out"), TestBrowser.fields("csrf", confirm.hidden("csrf")));
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.setCookies()).anyMatch(c -> c.startsWith("gatehouse-idp=;") && c.contains("Max-Age=0"));
        assertThat(browser.get(h.attempt().uri()).location().getPath()).isEqualTo("/sign-in");
        assertThat(h.tokenRequest(new com.nimbusds.oauth2.sdk.RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken()))
                .getStatusCode()).as("signing out revokes the session's refresh tokens").isEqualTo(400);
    }

    @Test
    void sessionCookieIsHttpOnlyAndLaxAndPagesCannotBeFramed() {
        TestBrowser browser = new TestBrowser();
        TestBrowser.Page toSignIn = browser.get(h.attempt().uri());
        assertThat(toSignIn.setCookies()).singleElement().satisfies(c -> assertThat(c)
                .startsWith("gatehouse-idp=").contains("HttpOnly").contains("SameSite=Lax").contains("Path=/")
                .doesNotContain("Secure"));
        TestBrowser.Page form = browser.get(toSignIn.location());
        assertThat(form.body()).doesNotContain("<script");
    }

    @Test
    void noPageOrJsonAnswerCarriesAPasswordTokenOrSecret() throws Exception {
        TestBrowser browser = new TestBrowser();
        List<String> answers = new ArrayList<>();
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page form = browser.get(browser.get(attempt.uri()).location());
        browser.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"), "tx", form.hidden("tx"),
                "email", "bob@example.com", "password", "Wrong-" + ProviderHarness.PASSWORD));
        TestBrowser.Page callback = browser.post(h.endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"),
                "tx", form.hidden("tx"), "email", "bob@example.com", "password", ProviderHarness.PASSWORD));
        AuthorizationCode code = h.code(callback, attempt);
        OIDCTokenResponse tokens = (OIDCTokenResponse) ProviderHarness.parse(h.redeem(code, attempt.verifier())).toSuccessResponse();
        answers.add(h.redeem(code, attempt.verifier()).getBody());
        answers.add(new UserInfoRequest(h.endpoint("/userinfo"), tokens.getOIDCTokens().getBearerAccessToken())
                .toHTTPRequest().send().getBody());
        HTTPRequest garbage = new HTTPRequest(HTTPRequest.Method.POST, h.endpoint("/token"));
        garbage.setContentType("application/x-www-form-urlencoded");
        garbage.setBody("grant_type=password&username=bob&password=" + ProviderHarness.PASSWORD);
        HTTPResponse refused = garbage.send();
        assertThat(refused.getStatusCode()).isIn(400, 401);
        answers.add(refused.getBody());
        browser.get(h.endpoint("/sign-out"));
        browser.get(h.endpoint("/no/such/page"));
        browser.get(h.endpoint("/authorize?client_id=gateway&redirect_uri=https://evil.example/"));
        browser.seen.forEach(p -> answers.add(p.body() + " " + p.location()));

        List<String> secrets = List.of(ProviderHarness.PASSWORD, ProviderHarness.SECRET, code.getValue(),
                tokens.getOIDCTokens().getAccessToken().getValue(), tokens.getOIDCTokens().getRefreshToken().getValue(),
                tokens.getOIDCTokens().getIDTokenString(), browser.cookie, "cus_private_123", "$argon2id$");
        for (String answer : answers) {
            for (String secret : secrets) {
                if (secret != null && !(secret.equals(code.getValue()) && answer.contains("/auth/callback?"))) {
                    assertThat(answer).doesNotContain(secret);
                }
            }
            assertThat(answer).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
    @Test
    void aStandaloneSwitchReturnsOnlyToTheClientsOriginAndTheNextSignInCarriesTheNewOrganization() throws Exception {
        TestBrowser browser = new TestBrowser();
        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page toChoose = h.signIn(browser, attempt, "alice@example.com", ProviderHarness.PASSWORD);
        TestBrowser.Page choose = browser.get(toChoose.location());
        redeem(browser.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf", choose.hidden("csrf"),
                "tx", choose.hidden("tx"), "organization", h.acme.id().value())), attempt);

        String back = "http://127.0.0.1:9/auth/login?return_to=/";
        TestBrowser.Page page = browser.get(h.endpoint("/choose-organization?client_id=gateway&return_to="
                + java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(page.hidden("return_to")).isEqualTo(back);
        TestBrowser.Page switched = browser.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf",
                page.hidden("csrf"), "organization", h.globex.id().value(), "client_id", "gateway", "return_to", back));
        assertThat(switched.status()).isEqualTo(303);
        assertThat(switched.location()).isEqualTo(URI.create(back));
        ProviderHarness.Attempt next = h.attempt();
        Map<String, Object> org = redeem(browser.get(next.uri()), next).getOIDCTokens().getIDToken().getJWTClaimsSet()
                .getJSONObjectClaim("org");
        assertThat(org).containsEntry("slug", "globex");

        TestBrowser.Page elsewhere = browser.get(h.endpoint("/choose-organization?client_id=gateway&return_to="
                + java.net.URLEncoder.encode("https://evil.example/", java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(elsewhere.hidden("return_to")).isNull();
        TestBrowser.Page forced = browser.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf",
                elsewhere.hidden("csrf"), "organization", h.acme.id().value(), "client_id", "gateway",
                "return_to", "https://evil.example/"));
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.location()).isNull();
    }
    @Test
    void oversizedBodiesAndWrongMethodsAreRefusedBeforeAnyWork() {
        TestBrowser browser = new TestBrowser();
        TestBrowser.Page huge = browser.post(h.endpoint("/sign-in"), TestBrowser.fields("email", "x".repeat(70_000)));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(browser.get(h.endpoint("/token")).status()).isEqualTo(405);
        TestBrowser.Page missing = browser.get(h.endpoint("/.env"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("There is no page here.");
    }
}
