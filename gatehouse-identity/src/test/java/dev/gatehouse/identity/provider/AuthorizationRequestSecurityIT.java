package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization endpoint under attack (security checklist AS-01, AS-03, AS-14, AS-15, AS-27, AS-31, §7 test
 * 6): redirect URIs that differ from the registered one in any byte, response types and modes that would put
 * tokens in a URL, cross-origin reads, and an {@code id_token_hint} naming someone else. A relying party built
 * from Nimbus classes drives the real provider over HTTP.
 */
class AuthorizationRequestSecurityIT {
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

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A valid authorization request whose {@code redirect_uri} is {@code redirect} instead of the registered one. */
    private URI withRedirect(String redirect) {
        return URI.create(h.attempt().uri().toString().replace("redirect_uri=" + encode(ProviderHarness.CALLBACK.toString()),
                "redirect_uri=" + encode(redirect)));
    }

    private AuthorizationErrorResponse error(TestBrowser.Page page) throws Exception {
        assertThat(page.status()).as(page.body()).isEqualTo(303);
        assertThat(page.location().toString()).startsWith(ProviderHarness.CALLBACK + "?");
        return AuthorizationResponse.parse(page.location()).toErrorResponse();
    }

    @Test
    void aRedirectUriDifferingFromTheRegisteredOneInAnyByteGetsAnErrorPageAndNeverARedirect() {
        // Loose matching is how authorization codes leak to attackers (Keycloak's redirect-URI CVEs): only a
        // byte-identical registered URI may receive a code, and a refused one must not be redirected to at all.
        List<String> variants = List.of(
                "http://127.0.0.1:9/auth/callback/",
                "http://127.0.0.1:9/auth/callback?x=1",
                "http://127.0.0.1:9/auth/callback?",
                "http://127.0.0.1:9/auth/callback#",
                "http://127.0.0.1:9/auth/callback#x",
                "http://127.0.0.1:9/auth/Callback",
                "http://127.0.0.1:9/AUTH/callback",
                "HTTP://127.0.0.1:9/auth/callback",
                "https://127.0.0.1:9/auth/callback",
                "http://127.0.0.1:10/auth/callback",
                "http://127.0.0.1/auth/callback",
                "http://127.0.0.1:09/auth/callback",
                "http://127.0.0.1:80/auth/callback",
                "http://localhost:9/auth/callback",
                "http://127.0.0.1.:9/auth/callback",
                "http://[::1]:9/auth/callback",
                "http://user@127.0.0.1:9/auth/callback",
                "http://127.0.0.1:9@evil.example/auth/callback",
                "http://evil.example/?http://127.0.0.1:9/auth/callback",
                "http://127.0.0.1:9/auth/callback/../callback",
                "http://127.0.0.1:9/auth/x/../callback",
                "http://127.0.0.1:9/auth/callback/..%2fevil",
                "http://127.0.0.1:9/auth/callback%2f..%2fevil",
                "http://127.0.0.1:9/auth/%63allback",
                "http://127.0.0.1:9//auth/callback",
                "http://127.0.0.1:9/auth/callback%00",
                "http://127.0.0.1:9/auth/callback%20",
                " http://127.0.0.1:9/auth/callback",
                "http://127.0.0.1:9/auth/callback ",
                "http://127.0.0.1:9/auth/callback\t",
                "//127.0.0.1:9/auth/callback",
                "/auth/callback",
                "javascript://127.0.0.1:9/auth/callback",
                "");
        TestBrowser browser = new TestBrowser();
        for (String variant : variants) {
            TestBrowser.Page page = browser.get(withRedirect(variant));
            assertThat(page.status()).as(variant).isEqualTo(400);
            assertThat(page.location()).as(variant).isNull();
            assertThat(page.body()).as(variant).contains("not registered").doesNotContain("code=");
        }
        TestBrowser.Page missing = browser.get(URI.create(h.attempt().uri().toString()
                .replace("redirect_uri=" + encode(ProviderHarness.CALLBACK.toString()), "")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.location()).isNull();
        assertThat(browser.get(h.attempt().uri()).status()).as("the registered URI itself is accepted").isEqualTo(303);
    }

    @Test
    void aRepeatedRedirectUriIsNeverFollowedToTheSecondValue() throws Exception {
        // Parameter pollution: a server that checks the first value and redirects to the last leaks the code.
        String evil = "&redirect_uri=" + encode("https://evil.example/cb");
        TestBrowser browser = new TestBrowser();
        TestBrowser.Page appended = browser.get(URI.create(h.attempt().uri() + evil));
        assertThat(appended.status()).isEqualTo(400);
        assertThat(appended.location()).isNull();

        String prepended = h.attempt().uri().toString().replace("?", "?redirect_uri=" + encode("https://evil.example/cb") + "&");
        TestBrowser.Page first = browser.get(URI.create(prepended));
        assertThat(first.status()).isEqualTo(400);
        assertThat(first.location()).isNull();

        String sameTwice = h.attempt().uri() + "&redirect_uri=" + encode(ProviderHarness.CALLBACK.toString());
        TestBrowser.Page twice = browser.get(URI.create(sameTwice));
        assertThat(twice.location() == null ? null : twice.location().toString())
                .as("with both values registered, only an error may go there").satisfiesAnyOf(
                        l -> assertThat(l).isNull(),
                        l -> assertThat(AuthorizationResponse.parse(URI.create(l)).indicatesSuccess()).isFalse());
    }

    @Test
    void anUnknownClientGetsAnErrorPageEvenWithAnotherClientsRegisteredRedirectUri() {
        // A client id is looked up exactly; an unknown one has no URI to send errors to, so nothing is redirected.
        TestBrowser browser = new TestBrowser();
        for (String client : List.of("nobody", "GATEWAY", "gateway ", "")) {
            TestBrowser.Page page = browser.get(URI.create(h.attempt().uri().toString()
                    .replace("client_id=gateway", "client_id=" + encode(client))));
            assertThat(page.status()).as(client).isEqualTo(400);
            assertThat(page.location()).as(client).isNull();
        }
        TestBrowser.Page service = browser.get(URI.create(h.attempt().uri().toString()
                .replace("client_id=gateway", "client_id=billing-service")));
        assertThat(service.status()).as("a client without redirect URIs cannot borrow the gateway's").isEqualTo(400);
        assertThat(service.location()).isNull();
    }

    @Test
    void everyAuthorizationResponseErrorsIncludedCarriesTheIssuerAndTheState() throws Exception {
        // RFC 9207: the client tells which provider answered by iss; an error without it is a mix-up opening.
        TestBrowser browser = new TestBrowser();
        Map<String, String> cases = Map.of(
                "response_type=code", "response_type=token",
                "scope=openid", "scope=calendar&x=openid",
                "code_challenge_method=S256", "code_challenge_method=plain");
        for (var c : cases.entrySet()) {
            ProviderHarness.Attempt a = h.attempt();
            AuthorizationErrorResponse e = error(browser.get(URI.create(a.uri().toString().replace(c.getKey(), c.getValue()))));
            assertThat(e.getIssuer().getValue()).as(c.getValue()).isEqualTo(h.issuer().toString());
            assertThat(e.getState()).as(c.getValue()).isEqualTo(a.state());
        }
        ProviderHarness.Attempt none = h.attempt("prompt", "none");
        AuthorizationErrorResponse loginRequired = error(browser.get(none.uri()));
        assertThat(loginRequired.getErrorObject().getCode()).isEqualTo("login_required");
        assertThat(loginRequired.getIssuer().getValue()).isEqualTo(h.issuer().toString());
        assertThat(loginRequired.getState()).isEqualTo(none.state());
    }

    @Test
    void noResponseTypeOrModePutsATokenOrTheCodeAnywhereButTheQuery() throws Exception {
        // Implicit and hybrid flows put tokens in URLs (history, logs, Referer); fragment and form_post modes are
        // not needed by any client here (ASVS V10.4.12, V10.6.1).
        TestBrowser browser = new TestBrowser();
        for (String type : List.of("token", "id_token", "code token", "code id_token", "code id_token token", "none")) {
            AuthorizationErrorResponse e = error(browser.get(URI.create(h.attempt().uri().toString()
                    .replace("response_type=code", "response_type=" + encode(type)))));
            assertThat(e.getErrorObject().getCode()).as(type).isEqualTo("unsupported_response_type");
        }
        for (String mode : List.of("fragment", "form_post", "form_post.jwt", "query.jwt", "jwt")) {
            TestBrowser.Page page = browser.get(h.attempt("response_mode", mode).uri());
            assertThat(page.location().getRawFragment()).as(mode).isNull();
            assertThat(error(page).getErrorObject().getCode()).as(mode).isEqualTo("invalid_request");
        }

        ProviderHarness.Attempt attempt = h.attempt();
        TestBrowser.Page callback = h.signIn(browser, attempt, "bob@example.com", ProviderHarness.PASSWORD);
        assertThat(callback.location().getRawFragment()).isNull();
        assertThat(URLUtils.parseParameters(callback.location().getRawQuery()).keySet())
                .as("the success redirect holds the code, state and iss and nothing else")
                .containsExactlyInAnyOrder("code", "state", "iss");
        assertThat(callback.body()).isEmpty();
    }

    @Test
    void theAuthorizationEndpointAllowsNoCrossOriginReads() {
        // A CORS-readable authorization endpoint would hand codes to any site's script (RFC 9700 §2.6).
        HttpProbe.Answer preflight = HttpProbe.send("OPTIONS", h.endpoint("/authorize"), null, Map.of(
                "Origin", "https://evil.example", "Access-Control-Request-Method", "GET"), null);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.status()).isEqualTo(405);
        HttpProbe.Answer get = HttpProbe.send("GET", h.attempt().uri(), null, Map.of("Origin", "https://evil.example"), null);
        assertThat(get.status()).isEqualTo(303);
        assertThat(get.header("Access-Control-Allow-Origin")).isNull();
        assertThat(get.header("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void anIdTokenHintNamingAnotherUserNeverGetsACodeForTheSignedInOne() throws Exception {
        // OIDC Core §3.1.2.2: a client that asks silently for user X must not receive a code for user Y, who
        // happens to be signed in at the provider in this browser.
        TestBrowser alices = new TestBrowser();
        ProviderHarness.Attempt a = h.attempt();
        TestBrowser.Page toChoose = h.signIn(alices, a, "alice@example.com", ProviderHarness.PASSWORD);
        TestBrowser.Page choose = alices.get(toChoose.location());
        AuthorizationCode aliceCode = h.code(alices.post(h.endpoint("/choose-organization"), TestBrowser.fields("csrf",
                choose.hidden("csrf"), "tx", choose.hidden("tx"), "organization", h.acme.id().value())), a);
        String aliceHint = ((OIDCTokenResponse) ProviderHarness.parse(h.redeem(aliceCode, a.verifier())).toSuccessResponse())
                .getOIDCTokens().getIDTokenString();

        TestBrowser bobs = new TestBrowser();
        ProviderHarness.Attempt b = h.attempt();
        AuthorizationCode bobCode = h.code(h.signIn(bobs, b, "bob@example.com", ProviderHarness.PASSWORD), b);
        String bobHint = ((OIDCTokenResponse) ProviderHarness.parse(h.redeem(bobCode, b.verifier())).toSuccessResponse())
                .getOIDCTokens().getIDTokenString();

        ProviderHarness.Attempt silentForAlice = h.attempt("prompt", "none", "id_token_hint", aliceHint);
        AuthorizationErrorResponse refused = error(bobs.get(silentForAlice.uri()));
        assertThat(refused.getErrorObject().getCode()).isEqualTo("login_required");

        TestBrowser.Page interactive = bobs.get(h.attempt("id_token_hint", aliceHint).uri());
        assertThat(interactive.location().getPath()).as("Bob's session does not answer for Alice").isEqualTo("/sign-in");

        ProviderHarness.Attempt silentForBob = h.attempt("prompt", "none", "id_token_hint", bobHint);
        assertThat(h.code(bobs.get(silentForBob.uri()), silentForBob)).isNotNull();

        ProviderHarness.Attempt forged = h.attempt("prompt", "none", "id_token_hint", bobHint.substring(0, bobHint.length() - 4) + "AAAA");
        AuthorizationErrorResponse invalid = error(bobs.get(forged.uri()));
        assertThat(invalid.getErrorObject().getCode()).as("a hint the provider did not sign is refused").isEqualTo("invalid_request");
    }
}
