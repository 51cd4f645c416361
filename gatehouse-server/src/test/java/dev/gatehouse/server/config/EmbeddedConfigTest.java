package dev.gatehouse.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.config.GatewayConfig.Client;
import dev.gatehouse.server.config.GatewayConfig.Database;
import dev.gatehouse.server.config.GatewayConfig.Embedded;
import dev.gatehouse.server.config.GatewayConfig.HostPort;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code identity.provider: embedded} and its {@code identity.embedded} section, read as plain data. */
class EmbeddedConfigTest {
    private static final Map<String, String> ENV = Map.of("DB_PASSWORD", "pg-secret", "APP_SECRET", "a".repeat(40));
    private static final String ROUTES = """
            routes:
              - match: /**
                upstream: http://127.0.0.1:5173
                access: public
            """;

    private static GatewayConfig parse(String yaml) throws ConfigException {
        return new ConfigLoader(ENV::get).parse(yaml);
    }

    private static List<String> errors(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("expected the config to be refused:\n" + yaml);
    }

    @Test
    void embeddedProviderNeedsNoIssuerNorClientAndTakesDefaults() throws Exception {
        // The one-line switch a small team makes: no outside provider, no client to register by hand.
        GatewayConfig c = parse("identity:\n  provider: embedded\n" + ROUTES);

        assertThat(c.identity().isEmbedded()).isTrue();
        assertThat(c.identity().issuer()).isNull();
        assertThat(c.identity().clientId()).isEqualTo("gatehouse");
        assertThat(c.identity().clientSecret()).isNull();
        assertThat(c.identity().bearerAudiences()).containsExactly("gatehouse");
        assertThat(c.identity().embedded()).isEqualTo(new Embedded(new HostPort("127.0.0.1", 8081), null,
                new Database("jdbc:h2:file:./data/gatehouse", null, null), Path.of("./data/identity-keys.json"), null,
                Duration.ofMinutes(5), Duration.ofDays(1), Duration.ofHours(12), Duration.ofDays(30), true, List.of()));
        assertThat(c.identity().embedded().publicUrl(8081)).isEqualTo(URI.create("http://localhost:8081"));
    }

    @Test
    void everyEmbeddedKeyIsRead() throws Exception {
        GatewayConfig c = parse("""
                public_url: https://app.example.com
                identity:
                  provider: embedded
                  client_id: web-gateway
                  embedded:
                    listen: 0.0.0.0:9443
                    public_url: https://id.example.com
                    database:
                      url: jdbc:postgresql://db.internal:5432/gatehouse
                      user: gatehouse
                      password: ${DB_PASSWORD}
                    signing_key_file: /var/lib/gatehouse/identity-keys.json
                    seed: /etc/gatehouse/seed.yaml
                    access_token_lifetime: 2m
                    refresh_token_lifetime: 30d
                    session_lifetime: 8h
                    signing_key_rotation: 45d
                    sign_up: false
                    clients:
                      - id: acme-mobile
                        redirect_uris: [https://acme.example.com/mobile/callback]
                        post_logout_redirect_uris: [https://acme.example.com/mobile/signed-out]
                      - id: reports-job
                        secret: ${APP_SECRET}
                        grant_types: [client_credentials]
                        backchannel_logout_uri: https://reports.example.com/logout
                """ + ROUTES);

        Embedded e = c.identity().embedded();
        assertThat(c.identity().clientId()).isEqualTo("web-gateway");
        assertThat(e.listen()).isEqualTo(new HostPort("0.0.0.0", 9443));
        assertThat(e.publicUrl(9443)).isEqualTo(URI.create("https://id.example.com"));
        assertThat(e.database()).isEqualTo(new Database("jdbc:postgresql://db.internal:5432/gatehouse", "gatehouse", "pg-secret"));
        assertThat(e.database().toString()).doesNotContain("pg-secret");
        assertThat(e.signingKeyFile()).isEqualTo(Path.of("/var/lib/gatehouse/identity-keys.json"));
        assertThat(e.seed()).isEqualTo(Path.of("/etc/gatehouse/seed.yaml"));
        assertThat(List.of(e.accessTokenLifetime(), e.refreshTokenLifetime(), e.sessionLifetime()))
                .containsExactly(Duration.ofMinutes(2), Duration.ofDays(30), Duration.ofHours(8));
        assertThat(e.signingKeyRotation()).isEqualTo(Duration.ofDays(45));
        assertThat(e.signUp()).isFalse();
        assertThat(e.clients()).containsExactly(
                new Client("acme-mobile", null, List.of(URI.create("https://acme.example.com/mobile/callback")),
                        List.of(URI.create("https://acme.example.com/mobile/signed-out")), null, Set.of("authorization_code", "refresh_token")),
                new Client("reports-job", "a".repeat(40), List.of(), List.of(), URI.create("https://reports.example.com/logout"),
                        Set.of("client_credentials")));
        assertThat(e.clients().get(1).toString()).doesNotContain("a".repeat(40));
    }

    @Test
    void aSigningKeyRotationThatWouldDropKeysStillInUseIsRefused() {
        // Two older keys stay published: a shorter period would unpublish keys of ID tokens whose session lives on.
        String embedded = "identity:\n  provider: embedded\n  embedded:\n";
        String bound = "identity.embedded.signing_key_rotation: must not be shorter than refresh_token_lifetime or "
                + "session_lifetime (older keys stay published for two periods; ID tokens must verify as long as their "
                + "session can live)";
        assertThat(errors(embedded + "    signing_key_rotation: 20h\n" + ROUTES)).as("refresh tokens live 1d by default")
                .containsExactly(bound);
        assertThat(errors(embedded + "    refresh_token_lifetime: 1h\n    session_lifetime: 2d\n"
                + "    signing_key_rotation: 1d\n" + ROUTES)).containsExactly(bound);
        assertThat(errors(embedded + "    refresh_token_lifetime: 10m\n    session_lifetime: 10m\n"
                + "    signing_key_rotation: 30m\n" + ROUTES))
                .containsExactly("identity.embedded.signing_key_rotation: must be at least 1h");
        assertThat(errors(embedded + "    signing_key_rotation: 0s\n" + ROUTES))
                .containsExactly("identity.embedded.signing_key_rotation: must be positive");
        assertThat(errors(embedded + "    signing_key_rotation: \"off\"\n" + ROUTES))
                .containsExactly("identity.embedded.signing_key_rotation: not a duration (use e.g. 500ms, 30s, 30m, 12h)");
    }

    @Test
    void aSigningKeyRotationAsLongAsTheLongestLifetimeIsAccepted() throws Exception {
        GatewayConfig c = parse("identity:\n  provider: embedded\n  embedded:\n    refresh_token_lifetime: 7d\n"
                + "    signing_key_rotation: 7d\n" + ROUTES);
        assertThat(c.identity().embedded().signingKeyRotation()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void everyEmbeddedMistakeIsReportedAtOnceWithItsPath() {
        // As for the rest of the file: one run of `gatehouse check` lists everything to fix.
        assertThat(errors("""
                identity:
                  provider: embedded
                  issuer: https://idp.example.com
                  client_auth: private_key_jwt
                  client_secret: short
                  embedded:
                    listen: nowhere
                    public_url: http://id.example.com
                    database: {url: "jdbc:mysql://db/x"}
                    access_token_lifetime: 2h
                    sed: ./seed.yaml
                    clients:
                      - id: gatehouse
                      - id: app
                        secret: short
                        grant_types: [implicit, client_credentials]
                        redirect_uris: [http://app.example.com/cb, "https://app.example.com/cb#x", "com.example.app:/cb"]
                      - id: app
                        grant_types: [client_credentials]
                """ + ROUTES)).containsExactlyInAnyOrder(
                "identity.issuer: is the embedded provider's own (identity.embedded.public_url); remove it with provider: embedded",
                "identity.client_auth: must be client_secret_basic or client_secret_post with provider: embedded",
                "identity.client_secret: must be at least 32 characters (or leave it out: one is generated at each start)",
                "identity.embedded.listen: must be host:port (got 'nowhere')",
                "identity.embedded.public_url: must be https (http is only allowed for localhost and 127.0.0.1, "
                        + "or with identity.insecure_allow_http: true for testing)",
                "identity.embedded.database.url: must start with jdbc:h2: or jdbc:postgresql:",
                "identity.embedded.access_token_lifetime: must be at most 1h (services trust an access token until it expires)",
                "identity.embedded.sed: unknown key",
                "identity.embedded.clients[0].id: is already taken by the gateway itself",
                "identity.embedded.clients[0].redirect_uris: is required with grant type authorization_code (at least one)",
                "identity.embedded.clients[1].secret: must be at least 32 characters; write it as ${VARIABLE}",
                "identity.embedded.clients[1].grant_types: unknown grant type implicit "
                        + "(known: authorization_code, client_credentials, refresh_token)",
                "identity.embedded.clients[1].redirect_uris[0]: must be https (http only on localhost)",
                "identity.embedded.clients[1].redirect_uris[1]: must be an absolute URL with a host and without a fragment",
                "identity.embedded.clients[1].redirect_uris[2]: must be an absolute URL with a host and without a fragment",
                "identity.embedded.clients[2].id: is already taken",
                "identity.embedded.clients[2].secret: is required with grant type client_credentials");
    }

    @Test
    void oidcProviderStillNeedsIssuerAndClientAndRefusesAnEmbeddedSection() {
        assertThat(errors("identity:\n  embedded: {listen: 127.0.0.1:8081}\n" + ROUTES)).containsExactlyInAnyOrder(
                "identity.issuer: is required",
                "identity.client_id: is required",
                "identity.client_secret: is required with client_auth: client_secret_basic",
                "identity.embedded: is only read with provider: embedded");
    }

    @Test
    void unknownProviderNamesBoth() {
        assertThat(errors("identity: {provider: keycloak, issuer: 'https://x.example.com', client_id: a, client_secret: b}\n" + ROUTES))
                .containsExactly("identity.provider: must be oidc or embedded (got 'keycloak')");
    }

    @Test
    void launcherPointsTheGatewayAtTheProviderItStarted() throws Exception {
        GatewayConfig c = parse("identity: {provider: embedded}\n" + ROUTES);

        GatewayConfig ready = c.withIdentity(c.identity().withClient(URI.create("http://localhost:8081"), "gatehouse", "generated"));

        assertThat(ready.identity().issuer()).isEqualTo(URI.create("http://localhost:8081"));
        assertThat(ready.identity().clientSecret()).isEqualTo("generated");
        assertThat(ready.identity().embedded()).isEqualTo(c.identity().embedded());
        assertThat(ready.identity().toString()).doesNotContain("generated");
        assertThat(ready.routes()).isEqualTo(c.routes());
    }
}
