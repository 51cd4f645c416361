package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.gatehouse.identity.metadata.Metadata;
import dev.gatehouse.identity.orgs.NewOrganization;
import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.passwords.Argon2Parameters;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.store.DatabaseSettings;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.users.NewUser;
import dev.gatehouse.identity.users.User;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * A running embedded provider on 127.0.0.1 port 0 over an H2 file in a temporary directory, with cheap Argon2id
 * parameters and a hand-moved clock; seeded with users and organizations; and a relying party written with
 * Nimbus request and response classes (no provider code), for driving the protocol from outside.
 */
final class ProviderHarness implements AutoCloseable {
    static final Argon2Parameters FAST = new Argon2Parameters(1024, 1, 1, 32, 16);
    static final String PASSWORD = "correct horse battery staple";
    static final String CLIENT = "gateway";
    static final String SECRET = "gateway-secret-0123456789";
    static final URI CALLBACK = URI.create("http://127.0.0.1:9/auth/callback");
    static final URI AFTER_LOGOUT = URI.create("http://127.0.0.1:9/signed-out");

    final Path dir;
    final TestClock clock;
    final IdentityDatabase db;
    final EmbeddedProvider provider;
    final User alice;
    final User bob;
    final Organization acme;
    final Organization globex;

    private ProviderHarness(Path dir, TestClock clock, IdentityDatabase db, EmbeddedProvider provider, User alice,
            User bob, Organization acme, Organization globex) {
        this.dir = dir;
        this.clock = clock;
        this.db = db;
        this.provider = provider;
        this.alice = alice;
        this.bob = bob;
        this.acme = acme;
        this.globex = globex;
    }

    static ProviderSettings settings(Path dir, TestClock clock) {
        return ProviderSettings.defaults(dir.resolve("keys/provider-keys.json")).withClock(clock)
                .withPasswordParameters(FAST);
    }

    /** Alice belongs to acme (admin) and globex (member), Bob to acme only; clients: the gateway and a service. */
    static ProviderHarness start(Path dir) {
        return start(dir, new TestClock(), null);
    }

    static ProviderHarness start(Path dir, TestClock clock, URI backchannel) {
        IdentityDatabase db = IdentityDatabase.open(DatabaseSettings.of("jdbc:h2:file:" + dir.resolve("db/identity")));
        SecureRandom random = new SecureRandom();
        var users = db.users(clock, random);
        var orgs = db.organizations(clock, random);
        PasswordHasher hasher = new PasswordHasher(FAST, random);
        User alice = users.findByEmail("alice@example.com").orElseGet(() -> users.create(NewUser.withEmail("alice@example.com")
                .name("Alice Liddell").emailVerified(true).passwordHash(hasher.hash(PASSWORD))
                .publicMetadata(Metadata.of(Map.of("plan", "pro", "roles", List.of("staff"))))
                .privateMetadata(Metadata.of(Map.of("stripe", "cus_private_123")))));
        User bob = users.findByEmail("bob@example.com").orElseGet(() -> users.create(NewUser.withEmail("bob@example.com")
                .name("Bob").passwordHash(hasher.hash(PASSWORD))));
        Organization acme = orgs.findBySlug("acme").orElseGet(() -> {
            Organization o = orgs.create(new NewOrganization("acme", "Acme Inc", Metadata.EMPTY));
            orgs.addMember(o.id(), alice.id(), "org:admin");
            orgs.addMember(o.id(), bob.id(), "org:member");
            return o;
        });
        Organization globex = orgs.findBySlug("globex").orElseGet(() -> {
            Organization o = orgs.create(new NewOrganization("globex", "Globex", Metadata.EMPTY));
            orgs.addMember(o.id(), alice.id(), "org:member");
            return o;
        });
        EmbeddedProvider provider = EmbeddedProvider.start(settings(dir, clock), db);
        provider.register(ClientRegistration.webClient(CLIENT, SECRET, CALLBACK, AFTER_LOGOUT, backchannel));
        provider.register(ClientRegistration.serviceClient("billing-service", "billing-secret-0123456789"));
        return new ProviderHarness(dir, clock, db, provider, alice, bob, acme, globex);
    }

    URI issuer() {
        return provider.issuer();
    }

    URI endpoint(String path) {
        return URI.create(issuer() + path);
    }

    /** One authorization attempt's secrets, as a relying party keeps them. */
    record Attempt(State state, Nonce nonce, CodeVerifier verifier, URI uri) {
    }

    Attempt attempt(String... extra) {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(new ResponseType("code"),
                new Scope("openid", "profile", "email"), new ClientID(CLIENT), CALLBACK)
                .endpointURI(endpoint("/authorize")).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        String uri = b.build().toURI().toString();
        for (int i = 0; i < extra.length; i += 2) {
            uri += "&" + extra[i] + "=" + java.net.URLEncoder.encode(extra[i + 1], java.nio.charset.StandardCharsets.UTF_8);
        }
        return new Attempt(state, nonce, verifier, URI.create(uri));
    }

    /** Signs in on the hosted page and follows the provider's redirects up to the client's callback. */
    TestBrowser.Page signIn(TestBrowser browser, Attempt attempt, String email, String password) {
        TestBrowser.Page toSignIn = browser.get(attempt.uri());
        assertThat(toSignIn.status()).as(toSignIn.body()).isEqualTo(303);
        TestBrowser.Page form = browser.get(toSignIn.location());
        assertThat(form.status()).isEqualTo(200);
        return browser.post(endpoint("/sign-in"), TestBrowser.fields("csrf", form.hidden("csrf"), "tx", form.hidden("tx"),
                "email", email, "password", password));
    }

    /** The code from a callback redirect, after checking {@code state} and {@code iss} as a relying party does. */
    AuthorizationCode code(TestBrowser.Page callback, Attempt attempt) throws Exception {
        assertThat(callback.status()).as(callback.body()).isEqualTo(303);
        assertThat(callback.location().toString()).startsWith(CALLBACK.toString());
        AuthorizationResponse response = AuthorizationResponse.parse(callback.location());
        assertThat(response.indicatesSuccess()).as(callback.location().toString()).isTrue();
        assertThat(response.getState()).isEqualTo(attempt.state());
        assertThat(response.getIssuer().getValue()).isEqualTo(issuer().toString());
        return response.toSuccessResponse().getAuthorizationCode();
    }

    HTTPResponse redeem(AuthorizationCode code, CodeVerifier verifier) throws IOException {
        return tokenRequest(new AuthorizationCodeGrant(code, CALLBACK, verifier));
    }

    HTTPResponse tokenRequest(AuthorizationGrant grant) throws IOException {
        return new TokenRequest(endpoint("/token"), new ClientSecretBasic(new ClientID(CLIENT), new Secret(SECRET)), grant)
                .toHTTPRequest().send();
    }

    static TokenResponse parse(HTTPResponse response) throws Exception {
        return OIDCTokenResponseParser.parse(response);
    }

    IDTokenValidator idTokenValidator() throws Exception {
        return new IDTokenValidator(new com.nimbusds.oauth2.sdk.id.Issuer(issuer()), new ClientID(CLIENT), JWSAlgorithm.ES256,
                endpoint("/jwks").toURL());
    }

    @Override
    public void close() {
        provider.close();
        db.close();
    }
}
