package dev.gatehouse.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.access.Requirement;
import dev.gatehouse.core.tokens.TemplateContext;
import dev.gatehouse.core.tokens.TokenTemplate;
import dev.gatehouse.server.config.GatewayConfig.Access;
import dev.gatehouse.server.config.GatewayConfig.ClientAuth;
import dev.gatehouse.server.config.GatewayConfig.HostPort;
import dev.gatehouse.server.config.GatewayConfig.Identity;
import dev.gatehouse.server.config.GatewayConfig.Require;
import dev.gatehouse.server.config.GatewayConfig.Route;
import dev.gatehouse.server.config.GatewayConfig.SameSite;
import dev.gatehouse.server.config.GatewayConfig.TokenSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Map<String, String> ENV = Map.of("OIDC_CLIENT_SECRET", "s3cret", "EMPTY", "", "IDP_HOST", "idp.example.com");

    /** The identity and routes every test config needs, so each test states only what it is about. */
    private static final String IDENTITY = """
            identity:
              issuer: https://idp.example.com
              client_id: gatehouse
              client_secret: s3cret
            """;
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
            assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors()));
            return e.errors();
        }
        throw new AssertionError("expected the config to be refused:\n" + yaml);
    }

    private static GatewayConfig withRoutes(String routes) throws ConfigException {
        return parse(IDENTITY + routes);
    }

    private static List<String> routeErrors(String routes) {
        return errors(IDENTITY + routes);
    }

    @Test
    void fullConfigParsesIntoTheExpectedRecords() throws Exception {
        GatewayConfig c = parse("""
                public_url: https://app.example.com
                listen: 0.0.0.0:8080
                admin_listen: 127.0.0.1:9091
                session:
                  store: memory
                  idle_timeout: 30m
                  absolute_timeout: 12h
                  same_site: strict
                identity:
                  provider: oidc
                  issuer: https://${IDP_HOST}/realms/acme
                  client_id: gatehouse
                  client_secret: ${OIDC_CLIENT_SECRET}
                  client_auth: client_secret_post
                  scopes: [openid, profile, email]
                  claims: { roles: realm_access.roles, organizations: orgs, public_metadata: app_metadata }
                  refresh_before_expiry: 45s
                  clock_skew: 500ms
                  bearer_audiences: [gatehouse, mobile-app]
                  post_logout_redirect: /goodbye
                csrf:
                  header: X-Requested-By
                  allowed_origins: [https://Admin.Example.com, "http://localhost:3000"]
                signing:
                  algorithm: rs256
                  key_file: /var/lib/gatehouse/signing-keys.json
                  rotation: 7d
                token_templates:
                  billing:
                    audience: billing-api
                    lifetime: 5m
                    claims: { email: "{{user.email}}" }
                forward_auth:
                  trusted_proxies: [10.0.0.0/8, "fd00::/8", 192.168.1.7]
                  redirect_navigations: true
                routes:
                  - match: /api/reports/**
                    upstream: http://127.0.0.1:9004
                    access: optional
                    bearer: true
                    token: { exchange: { audience: reports-api, scope: "reports:read" } }
                  - match: /api/invoices/**
                    upstream: http://127.0.0.1:9005
                    bearer: false
                    token: { template: billing }
                  - match: /api/billing/**
                    upstream: http://127.0.0.1:9001/v1
                    strip_prefix: /api/billing
                    access: authenticated
                    require:
                      roles: [staff]
                      organization: acme
                      organization_roles: [admin]
                      permissions: [org:billing:read]
                    token: relay
                    methods: [get, POST]
                    connect_timeout: 2s
                    timeout: 10s
                  - match: /api/public/*/items
                    host: api.example.com
                    upstream: https://public.internal
                    access: public
                  - match: /**
                    upstream: http://127.0.0.1:5173
                    access: optional
                """);

        assertThat(c.publicUrl()).isEqualTo(URI.create("https://app.example.com"));
        assertThat(c.listen()).isEqualTo(new HostPort("0.0.0.0", 8080));
        assertThat(c.adminListen()).isEqualTo(new HostPort("127.0.0.1", 9091));
        assertThat(c.session()).isEqualTo(new GatewayConfig.Session("memory", Duration.ofMinutes(30), Duration.ofHours(12), SameSite.STRICT));
        assertThat(c.identity()).isEqualTo(new Identity(URI.create("https://idp.example.com/realms/acme"), "gatehouse", "s3cret",
                ClientAuth.CLIENT_SECRET_POST, null, List.of("openid", "profile", "email"),
                Map.of("roles", "realm_access.roles", "organizations", "orgs", "public_metadata", "app_metadata"),
                Duration.ofSeconds(45), Duration.ofMillis(500), List.of("gatehouse", "mobile-app"), "/goodbye", false));
        assertThat(c.csrf()).isEqualTo(new GatewayConfig.Csrf("X-Requested-By", Set.of("https://admin.example.com", "http://localhost:3000")));
        assertThat(c.signing()).isEqualTo(new GatewayConfig.Signing(GatewayConfig.Algorithm.RS256,
                Path.of("/var/lib/gatehouse/signing-keys.json"), Duration.ofDays(7)));
        assertThat(c.tokenTemplates()).containsOnlyKeys("billing");
        TokenTemplate billing = c.tokenTemplates().get("billing");
        assertThat(List.of(billing.name(), billing.audience(), billing.lifetime())).containsExactly("billing", "billing-api", Duration.ofMinutes(5));
        assertThat(billing.claims()).containsOnlyKeys("email");
        assertThat(c.forwardAuth()).isEqualTo(new GatewayConfig.ForwardAuth(List.of("10.0.0.0/8", "fd00::/8", "192.168.1.7"), true));
        assertThat(c.routes()).containsExactly(
                new Route("/api/reports/**", null, Set.of(), URI.create("http://127.0.0.1:9004"), null, Access.OPTIONAL, Require.NONE,
                        new TokenSpec.Exchange("reports-api", "reports:read"), true, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                new Route("/api/invoices/**", null, Set.of(), URI.create("http://127.0.0.1:9005"), null, Access.AUTHENTICATED, Require.NONE,
                        new TokenSpec.Template("billing"), false, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                new Route("/api/billing/**", null, Set.of("GET", "POST"), URI.create("http://127.0.0.1:9001/v1"), "/api/billing",
                        Access.AUTHENTICATED, new Require(List.of("staff"), "acme", List.of("admin"), List.of("org:billing:read")),
                        TokenSpec.RELAY, false, Duration.ofSeconds(2), Duration.ofSeconds(10)),
                new Route("/api/public/*/items", "api.example.com", Set.of(), URI.create("https://public.internal"), null,
                        Access.PUBLIC, Require.NONE, TokenSpec.NONE, false, Duration.ofSeconds(5), Duration.ofSeconds(30)),
                new Route("/**", null, Set.of(), URI.create("http://127.0.0.1:5173"), null,
                        Access.OPTIONAL, Require.NONE, TokenSpec.NONE, false, Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    @Test
    void omittedKeysTakeTheirDefaults() throws Exception {
        GatewayConfig c = parse(IDENTITY + """
                routes:
                  - match: /api/**
                    upstream: http://127.0.0.1:9001
                """);

        assertThat(c.publicUrl()).isNull();
        assertThat(c.publicUrl(41234)).isEqualTo(URI.create("http://127.0.0.1:41234"));
        assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(c.adminListen()).isEqualTo(new HostPort("127.0.0.1", 9090));
        assertThat(c.session()).isEqualTo(new GatewayConfig.Session("memory", Duration.ofMinutes(30), Duration.ofHours(12), SameSite.LAX));
        assertThat(c.identity()).isEqualTo(new Identity(URI.create("https://idp.example.com"), "gatehouse", "s3cret",
                ClientAuth.CLIENT_SECRET_BASIC, null, List.of("openid", "profile", "email"), Map.of(),
                Duration.ofSeconds(30), Duration.ofSeconds(30), List.of("gatehouse"), "/", false));
        assertThat(c.csrf()).isEqualTo(new GatewayConfig.Csrf("X-CSRF", Set.of()));
        assertThat(c.signing()).isEqualTo(new GatewayConfig.Signing(GatewayConfig.Algorithm.ES256,
                Path.of("./data/signing-keys.json"), Duration.ofDays(30)));
        assertThat(c.tokenTemplates()).isEmpty();
        // ForwardAuth believes only a proxy on this machine unless told otherwise
        assertThat(c.forwardAuth()).isEqualTo(new GatewayConfig.ForwardAuth(List.of("127.0.0.1/32", "::1/128"), false));
        // a route is authenticated unless it says otherwise
        assertThat(c.routes()).containsExactly(new Route("/api/**", null, Set.of(), URI.create("http://127.0.0.1:9001"), null,
                Access.AUTHENTICATED, Require.NONE, TokenSpec.NONE, false, Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    @Test
    void publicUrlFromAWildcardListenerIsLocalhost() throws Exception {
        GatewayConfig c = parse("listen: 0.0.0.0:0\n" + IDENTITY + ROUTES);

        assertThat(c.publicUrl(8081)).isEqualTo(URI.create("http://localhost:8081"));
    }

    @Test
    void environmentVariablesAreSubstitutedInsideValuesAndLists() throws Exception {
        GatewayConfig c = parse("""
                identity:
                  issuer: https://${IDP_HOST}:8443/realms/${REALM:-acme}
                  client_id: ${CLIENT_ID:-gatehouse}
                  client_secret: ${OIDC_CLIENT_SECRET}
                  scopes: [openid, "${EXTRA_SCOPE:-email}"]
                """ + ROUTES);

        assertThat(c.identity().issuer()).isEqualTo(URI.create("https://idp.example.com:8443/realms/acme"));
        assertThat(c.identity().clientId()).isEqualTo("gatehouse");
        assertThat(c.identity().clientSecret()).isEqualTo("s3cret");
        assertThat(c.identity().scopes()).containsExactly("openid", "email");
    }

    @Test
    void defaultAppliesWhenTheVariableIsEmptyButNotWhenItIsSet() throws Exception {
        Map<String, String> env = Map.of("EMPTY", "", "SET", "from-env");
        GatewayConfig c = new ConfigLoader(env::get).parse("""
                identity:
                  issuer: https://idp.example.com
                  client_id: ${EMPTY:-fallback}
                  client_secret: ${SET:-fallback}
                """ + ROUTES);

        assertThat(c.identity().clientId()).isEqualTo("fallback");
        assertThat(c.identity().clientSecret()).isEqualTo("from-env");
    }

    @Test
    void substitutedValuesAreNotSubstitutedAgain() throws Exception {
        Map<String, String> env = Map.of("SECRET", "a${OTHER}$1\\z", "OTHER", "no");
        GatewayConfig c = new ConfigLoader(env::get).parse("""
                identity:
                  issuer: https://idp.example.com
                  client_id: gatehouse
                  client_secret: ${SECRET}
                """ + ROUTES);

        assertThat(c.identity().clientSecret()).isEqualTo("a${OTHER}$1\\z");
    }

    @Test
    void missingVariableIsAnErrorAtItsPath() {
        assertThat(errors("""
                identity:
                  issuer: https://idp.example.com
                  client_id: gatehouse
                  client_secret: ${GATEHOUSE_TEST_UNSET}
                """ + ROUTES)).containsExactly(
                "identity.client_secret: environment variable GATEHOUSE_TEST_UNSET is not set",
                "identity.client_secret: is required with client_auth: client_secret_basic");
        assertThat(routeErrors("""
                routes:
                  - match: /**
                    upstream: http://127.0.0.1:${UPSTREAM_PORT}
                    methods: [GET, "${METHOD}"]
                """)).contains(
                "routes[0].upstream: environment variable UPSTREAM_PORT is not set",
                "routes[0].methods[1]: environment variable METHOD is not set");
    }

    @Test
    void durationsAcceptShortUnits() throws Exception {
        GatewayConfig c = parse(IDENTITY + """
                session:
                  idle_timeout: 500ms
                  absolute_timeout: 7d
                routes:
                  - match: /**
                    upstream: http://127.0.0.1:5173
                    connect_timeout: 1500ms
                    timeout: 2m
                """);

        assertThat(c.session().idleTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.session().absoluteTimeout()).isEqualTo(Duration.ofDays(7));
        assertThat(c.routes().get(0).connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.routes().get(0).timeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void badDurationsAreReportedWithTheirPaths() {
        assertThat(errors(IDENTITY + ROUTES + """
                session:
                  idle_timeout: 30 minutes
                  absolute_timeout: 0s
                """)).containsExactly(
                "session.idle_timeout: not a duration (use e.g. 500ms, 30s, 30m, 12h)",
                "session.absolute_timeout: must be positive");
        assertThat(errors(IDENTITY + ROUTES + "session: { idle_timeout: 99999999999999999999s }"))
                .containsExactly("session.idle_timeout: not a duration (use e.g. 500ms, 30s, 30m, 12h)");
    }

    @Test
    void everyErrorIsReportedInOneParseWithItsPath() {
        List<String> errors = errors("""
                public_url: http://app.example.com
                listen: 8080
                session:
                  store: redis
                  idle_timeout: 30 minutes
                  absolute_timeout: 10m
                identity:
                  issuer: http://idp.example.com
                  client_id: gatehouse
                  scopes: [profile, email]
                  claims: { roles: realm_access.roles, groups: groups }
                csrf:
                  header: "X CSRF"
                routes:
                  - match: /api/**
                    upstream: http://127.0.0.1:9001
                    acess: public
                  - match: /api/orders/**
                    upstream: http://127.0.0.1:9002
                    access: optional
                    require: { roles: [admin] }
                  - match: /api/x/**
                    upstream: not-a-url
                    strip_prefix: /other
                    methods: [GET, FETCH]
                  - match: /api/**/x
                    upstream: http://127.0.0.1:9003
                    access: public
                    token: relay
                """);

        assertThat(errors).containsExactlyInAnyOrder(
                "public_url: must be https (http is only allowed for localhost and 127.0.0.1)",
                "listen: must be host:port (got '8080')",
                "session.store: must be memory (the redis store is not available in this version)",
                "session.idle_timeout: not a duration (use e.g. 500ms, 30s, 30m, 12h)",
                "session.absolute_timeout: must not be shorter than idle_timeout",
                "identity.issuer: must be https (set insecure_allow_http: true to allow plain http, for testing only)",
                "identity.client_secret: is required with client_auth: client_secret_basic",
                "identity.scopes: must include openid",
                "identity.claims.groups: unknown claim mapping (known: email, name, organization, organizations, picture, public_metadata, roles, user_id)",
                "csrf.header: not a header name",
                "routes[0].acess: unknown key",
                "routes[1].require: needs access: authenticated",
                "routes[2].upstream: not a URL (expected http:// or https:// with a host)",
                "routes[2].strip_prefix: must be a prefix of match (/api/x/**)",
                "routes[2].methods: unknown method FETCH",
                "routes[3].match: not a path pattern (e.g. /api/orders/**, /api/*/items, /health)",
                "routes[3].token: a token needs access: optional or authenticated");
    }

    @Test
    void unknownKeysAreReportedAtEveryLevel() {
        assertThat(errors("""
                publc_url: https://app.example.com
                session: { idle_timout: 30m }
                identity:
                  issuer: https://idp.example.com
                  client_id: gatehouse
                  client_secret: s3cret
                  client_secert: typo
                csrf: { hedaer: X-CSRF }
                routes:
                  - match: /**
                    upstream: http://127.0.0.1:5173
                    acess: public
                    require: { role: [admin] }
                """)).containsExactlyInAnyOrder(
                "publc_url: unknown key",
                "session.idle_timout: unknown key",
                "identity.client_secert: unknown key",
                "csrf.hedaer: unknown key",
                "routes[0].acess: unknown key",
                "routes[0].require.role: unknown key");
    }

    @Test
    void requireNeedsAnAuthenticatedRoute() {
        assertThat(routeErrors("""
                routes:
                  - match: /a/**
                    upstream: http://127.0.0.1:9001
                    access: public
                    require: { permissions: [billing:read] }
                  - match: /b/**
                    upstream: http://127.0.0.1:9001
                    access: optional
                    require: { organization: any }
                """)).containsExactly("routes[0].require: needs access: authenticated", "routes[1].require: needs access: authenticated");
    }

    @Test
    void organizationRequirementReadsAnyTrueOrAName() throws Exception {
        GatewayConfig c = withRoutes("""
                routes:
                  - { match: /a/**, upstream: "http://127.0.0.1:9001", require: { organization: true } }
                  - { match: /b/**, upstream: "http://127.0.0.1:9001", require: { organization: any } }
                  - { match: /c/**, upstream: "http://127.0.0.1:9001", require: { organization: acme } }
                  - { match: /d/**, upstream: "http://127.0.0.1:9001", require: { organization: false, roles: admin } }
                """);

        assertThat(c.routes()).extracting(r -> r.require().organization())
                .containsExactly(Requirement.ANY_ORGANIZATION, Requirement.ANY_ORGANIZATION, "acme", null);
        assertThat(c.routes().get(3).require().roles()).containsExactly("admin");
    }

    @Test
    void everyTokenModeNeedsAnIdentity() throws Exception {
        // a public route has no session to relay, mint or exchange for
        assertThat(routeErrors("""
                token_templates: { billing: { audience: billing-api } }
                routes:
                  - { match: /a/**, upstream: "http://127.0.0.1:9001", access: public, token: relay }
                  - { match: /b/**, upstream: "http://127.0.0.1:9001", access: public, token: { template: billing } }
                  - { match: /c/**, upstream: "http://127.0.0.1:9001", access: public, token: { exchange: { audience: reports } } }
                  - { match: /d/**, upstream: "http://127.0.0.1:9001", access: public, token: none }
                """)).containsExactly(
                "routes[0].token: a token needs access: optional or authenticated",
                "routes[1].token: a token needs access: optional or authenticated",
                "routes[2].token: a token needs access: optional or authenticated");
        assertThat(withRoutes("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", access: optional, token: relay }
                """).routes().get(0).token()).isEqualTo(TokenSpec.RELAY);
    }

    @Test
    void unknownChoicesListTheAllowedValues() {
        assertThat(routeErrors("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", access: private, token: exchange }
                """)).containsExactly(
                "routes[0].access: must be one of public, optional, authenticated (got 'private')",
                "routes[0].token: must be none, relay, {template: NAME} or {exchange: {audience: ..}} (got 'exchange')");
        assertThat(errors(IDENTITY + ROUTES + "session: { same_site: none }"))
                .containsExactly("session.same_site: must be one of lax, strict (got 'none')");
    }

    @Test
    void plainHttpIssuerIsAllowedOnlyOnLoopbackOrWhenForced() throws Exception {
        String remote = """
                identity:
                  issuer: http://idp.example.com
                  client_id: gatehouse
                  client_secret: s3cret
                """;
        assertThat(errors(remote + ROUTES))
                .containsExactly("identity.issuer: must be https (set insecure_allow_http: true to allow plain http, for testing only)");
        assertThat(parse(remote + "  insecure_allow_http: true\n" + ROUTES).identity().insecureAllowHttp()).isTrue();
        assertThat(parse(remote.replace("idp.example.com", "127.0.0.1:8180") + ROUTES).identity().issuer())
                .isEqualTo(URI.create("http://127.0.0.1:8180"));
        assertThat(parse(remote.replace("idp.example.com", "localhost") + ROUTES).identity().issuer())
                .isEqualTo(URI.create("http://localhost"));
    }

    @Test
    void issuerMustBeAnHttpUrl() {
        assertThat(errors("""
                identity:
                  issuer: idp.example.com
                  client_id: gatehouse
                  client_secret: s3cret
                """ + ROUTES)).containsExactly("identity.issuer: not a URL (expected http:// or https:// with a host)");
        assertThat(errors("""
                identity:
                  issuer: https://idp.example.com/?realm=x
                  client_id: gatehouse
                  client_secret: s3cret
                """ + ROUTES)).containsExactly("identity.issuer: must not have a query, fragment or user info");
    }

    @Test
    void publicUrlMustBeAnHttpsOriginUnlessLocal() throws Exception {
        assertThat(errors("public_url: https://app.example.com/app\n" + IDENTITY + ROUTES))
                .containsExactly("public_url: must be an origin without a path (Gatehouse serves from the root)");
        assertThat(errors("public_url: http://app.example.com\n" + IDENTITY + ROUTES))
                .containsExactly("public_url: must be https (http is only allowed for localhost and 127.0.0.1)");
        assertThat(parse("public_url: http://localhost:8080\n" + IDENTITY + ROUTES).publicUrl())
                .isEqualTo(URI.create("http://localhost:8080"));
        assertThat(parse("public_url: https://app.example.com/\n" + IDENTITY + ROUTES).publicUrl())
                .isEqualTo(URI.create("https://app.example.com/"));
    }

    @Test
    void clientSecretIsRequiredForSecretBasedClientAuth() {
        String noSecret = """
                identity:
                  issuer: https://idp.example.com
                  client_id: gatehouse
                """;
        assertThat(errors(noSecret + ROUTES)).containsExactly("identity.client_secret: is required with client_auth: client_secret_basic");
        assertThat(errors(noSecret + "  client_auth: client_secret_post\n" + ROUTES))
                .containsExactly("identity.client_secret: is required with client_auth: client_secret_post");
        assertThat(errors(noSecret + "  client_secret: ${EMPTY}\n" + ROUTES))
                .containsExactly("identity.client_secret: is required with client_auth: client_secret_basic");
    }

    @Test
    void privateKeyJwtNeedsAReadableKeyFile(@TempDir Path dir) throws Exception {
        String pkj = """
                identity:
                  issuer: https://idp.example.com
                  client_id: gatehouse
                  client_auth: private_key_jwt
                """;
        assertThat(errors(pkj + ROUTES)).containsExactly("identity.private_key_file: is required with client_auth: private_key_jwt");
        Path missing = dir.resolve("missing.pem");
        assertThat(errors(pkj + "  private_key_file: " + missing + "\n" + ROUTES))
                .containsExactly("identity.private_key_file: cannot read " + missing);

        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
        Identity identity = parse(pkj + "  private_key_file: " + key + "\n" + ROUTES).identity();
        assertThat(identity.clientAuth()).isEqualTo(ClientAuth.PRIVATE_KEY_JWT);
        assertThat(identity.privateKeyFile()).isEqualTo(key);
        assertThat(identity.clientSecret()).isNull();
    }

    @Test
    void scopesMustIncludeOpenid() {
        assertThat(errors(IDENTITY + "  scopes: [profile, email]\n" + ROUTES)).containsExactly("identity.scopes: must include openid");
        assertThat(errors(IDENTITY + "  scopes: []\n" + ROUTES)).containsExactly("identity.scopes: must include openid");
    }

    @Test
    void postLogoutRedirectMustBeLocal() {
        assertThat(errors(IDENTITY + "  post_logout_redirect: //evil.com\n" + ROUTES))
                .containsExactly("identity.post_logout_redirect: must be a local path such as /");
        assertThat(errors(IDENTITY + "  post_logout_redirect: https://evil.com\n" + ROUTES))
                .containsExactly("identity.post_logout_redirect: must be a local path such as /");
    }

    @Test
    void stripPrefixMustBeAPrefixOfTheMatch() {
        assertThat(routeErrors("""
                routes:
                  - { match: /api/billing/**, upstream: "http://127.0.0.1:9001", strip_prefix: /api/orders }
                  - { match: /api/billing/**, upstream: "http://127.0.0.1:9001", strip_prefix: api/billing }
                  - { match: /api/billing/**, upstream: "http://127.0.0.1:9001", strip_prefix: /api/billing/ }
                """)).containsExactly(
                "routes[0].strip_prefix: must be a prefix of match (/api/billing/**)",
                "routes[1].strip_prefix: must be a prefix of match (/api/billing/**)",
                "routes[1].strip_prefix: must start with / and not end with /",
                "routes[2].strip_prefix: must be a prefix of match (/api/billing/**)",
                "routes[2].strip_prefix: must start with / and not end with /");
    }

    @Test
    void stripPrefixMustEndAtASegmentBoundary() {
        // stripping /api/bill from /api/billing/x would send "ing/x" upstream
        assertThat(routeErrors("""
                routes:
                  - { match: /api/billing/**, upstream: "http://127.0.0.1:9001", strip_prefix: /api/bill }
                """)).containsExactly("routes[0].strip_prefix: must be a prefix of match (/api/billing/**)");
    }

    @Test
    void stripPrefixOfTheRootIsRefused() {
        // stripping / from /x would send "x" upstream, without a leading slash
        assertThat(routeErrors("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", strip_prefix: / }
                """)).containsExactly("routes[0].strip_prefix: must start with / and not end with /");
    }

    @Test
    void stripPrefixMayBeTheWholeLiteralPartOfTheMatch() throws Exception {
        GatewayConfig c = withRoutes("""
                routes:
                  - { match: /api/billing/**, upstream: "http://127.0.0.1:9001/v1", strip_prefix: /api/billing }
                  - { match: /api/*/items, upstream: "http://127.0.0.1:9001", strip_prefix: /api }
                  - { match: /health, upstream: "http://127.0.0.1:9001", strip_prefix: /health }
                """);

        assertThat(c.routes()).extracting(Route::stripPrefix).containsExactly("/api/billing", "/api", "/health");
    }

    @Test
    void matchMustBeAPathPattern() {
        assertThat(routeErrors("""
                routes:
                  - { match: "api/**", upstream: "http://127.0.0.1:9001" }
                  - { match: /api/**/x, upstream: "http://127.0.0.1:9001" }
                  - { match: /api*, upstream: "http://127.0.0.1:9001" }
                  - { match: /api/*x, upstream: "http://127.0.0.1:9001" }
                  - { match: /api//x, upstream: "http://127.0.0.1:9001" }
                  - { match: "/api/a b", upstream: "http://127.0.0.1:9001" }
                  - { upstream: "http://127.0.0.1:9001" }
                """)).containsExactly(
                "routes[0].match: not a path pattern (e.g. /api/orders/**, /api/*/items, /health)",
                "routes[1].match: not a path pattern (e.g. /api/orders/**, /api/*/items, /health)",
                "routes[2].match: not a path pattern (e.g. /api/orders/**, /api/*/items, /health)",
                "routes[3].match: not a path pattern (e.g. /api/orders/**, /api/*/items, /health)",
                "routes[4].match: not a path pattern (e.g. /api/orders/**, /api/*/items, /health)",
                "routes[5].match: not a path pattern (e.g. /api/orders/**, /api/*/items, /health)",
                "routes[6].match: is required");
    }

    @Test
    void methodsMustBeKnownAndAreUpperCased() throws Exception {
        assertThat(routeErrors("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", methods: [GET, FETCH, connect] }
                """)).containsExactly("routes[0].methods: unknown method FETCH", "routes[0].methods: unknown method connect");
        assertThat(withRoutes("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", methods: delete }
                """).routes().get(0).methods()).containsExactly("DELETE");
    }

    @Test
    void upstreamMustBeAnHttpUrl() {
        assertThat(routeErrors("""
                routes:
                  - { match: /a/**, upstream: not-a-url }
                  - { match: /b/**, upstream: "ftp://files.internal" }
                  - { match: /c/**, upstream: "http://user:pw@127.0.0.1:9001" }
                  - { match: /d/** }
                """)).containsExactly(
                "routes[0].upstream: not a URL (expected http:// or https:// with a host)",
                "routes[1].upstream: not a URL (expected http:// or https:// with a host)",
                "routes[2].upstream: must not have a query, fragment or user info",
                "routes[3].upstream: is required");
    }

    @Test
    void absoluteTimeoutMustNotBeShorterThanIdle() {
        assertThat(errors(IDENTITY + ROUTES + "session: { idle_timeout: 2h, absolute_timeout: 1h }"))
                .containsExactly("session.absolute_timeout: must not be shorter than idle_timeout");
    }

    @Test
    void listenAddressesAreHostAndPort() throws Exception {
        assertThat(errors("listen: 127.0.0.1:70000\nadmin_listen: localhost:http\n" + IDENTITY + ROUTES)).containsExactly(
                "listen: port must be a number from 0 to 65535",
                "admin_listen: port must be a number from 0 to 65535");
        assertThat(parse("listen: \"[::1]:0\"\n" + IDENTITY + ROUTES).listen()).isEqualTo(new HostPort("[::1]", 0));
    }

    @Test
    void adminListenerCanBeTurnedOff() throws Exception {
        assertThat(parse("admin_listen: \"off\"\n" + IDENTITY + ROUTES).adminListen()).isNull();
        // YAML 1.1 reads a bare off as the boolean false
        assertThat(parse("admin_listen: off\n" + IDENTITY + ROUTES).adminListen()).isNull();
    }

    @Test
    void allowedOriginsAreOriginsAndCompareInLowerCase() throws Exception {
        assertThat(parse(IDENTITY + ROUTES + "csrf: { allowed_origins: [\"https://Admin.Example.com:8443\"] }").csrf().allowedOrigins())
                .containsExactly("https://admin.example.com:8443");
        assertThat(errors(IDENTITY + ROUTES + """
                csrf:
                  allowed_origins: ["https://a.example.com/", "a.example.com", "https://exa mple.com", "null"]
                """)).containsExactly(
                "csrf.allowed_origins[0]: not an origin (scheme://host[:port])",
                "csrf.allowed_origins[1]: not an origin (scheme://host[:port])",
                "csrf.allowed_origins[2]: not an origin (scheme://host[:port])",
                "csrf.allowed_origins[3]: not an origin (scheme://host[:port])");
    }

    @Test
    void wrongShapesAreReportedWithTheirPaths() {
        assertThat(errors("""
                session: [a]
                identity:
                  issuer: [https://idp.example.com]
                  client_id: gatehouse
                  client_secret: s3cret
                  claims: [roles]
                routes: { match: /** }
                """)).containsExactlyInAnyOrder(
                "session: must be a mapping",
                "identity.issuer: must be a single value",
                "identity.issuer: is required",
                "identity.claims: must be a mapping",
                "routes: must be a list");
    }

    @Test
    void emptyFileReportsEverythingThatIsRequired() {
        assertThat(errors("")).containsExactlyInAnyOrder(
                "identity.issuer: is required",
                "identity.client_id: is required",
                "identity.client_secret: is required with client_auth: client_secret_basic",
                "routes: is required (at least one route)");
    }

    @Test
    void fileThatIsNotAMappingIsReportedForTheFile() {
        assertThat(errors("- a\n- b\n")).contains("(file): must be a mapping");
    }

    @Test
    void invalidYamlIsReportedWithItsLine() {
        assertThat(errors("identity:\n  issuer: https://idp.example.com\n  client_id: \"gatehouse\nroutes: []\n"))
                .containsExactly("(file): not valid YAML at line 3");
        assertThat(errors("identity:\n  issuer: https://idp.example.com\n\tclient_id: x\n"))
                .containsExactly("(file): not valid YAML at line 2");
    }

    @Test
    void duplicateKeysAreRefusedInsteadOfTheLastSilentlyWinning() {
        // a second "access: public" further down a route must not quietly open it
        assertThat(errors(IDENTITY + """
                routes:
                  - match: /admin/**
                    upstream: http://127.0.0.1:9001
                    access: authenticated
                    timeout: 5s
                    access: public
                """)).singleElement().asString().startsWith("(file): not valid YAML at line ");
    }

    @Test
    void unreadableFileIsAConfigError(@TempDir Path dir) {
        Path missing = dir.resolve("gatehouse.yaml");

        assertThatThrownBy(() -> ConfigLoader.fromEnvironment().load(missing))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).singleElement().asString()
                        .startsWith(missing + ": cannot read"));
    }

    @Test
    void loadReadsTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), IDENTITY + ROUTES);

        assertThat(new ConfigLoader(ENV::get).load(file).routes()).hasSize(1);
    }

    /** Placeholder values by dotted path, as the minter would supply them for one caller. */
    private static TemplateContext context(Map<String, Object> values) {
        return path -> values.get(String.join(".", path));
    }

    @Test
    void templateClaimsAreCompiledAtLoadAndEvaluatedPerCaller() throws Exception {
        TokenTemplate t = parse(IDENTITY + ROUTES + """
                token_templates:
                  billing:
                    audience: billing-api
                    claims:
                      email: "{{user.email}}"
                      plan: "{{ user.public_metadata.plan || 'free' }}"
                      label: "{{org.slug}}/{{user.id}}"
                      permissions: "{{org.permissions}}"
                      tier: 3
                      beta: true
                      region: "${REGION:-eu}"
                """).tokenTemplates().get("billing");

        assertThat(t.lifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(t.evaluate(context(Map.of("user.email", "ada@example.com", "user.id", "u1", "org.slug", "acme",
                "org.permissions", List.of("org:billing:read"), "user.public_metadata.plan", "pro"))))
                .containsExactlyInAnyOrderEntriesOf(Map.of("email", "ada@example.com", "plan", "pro", "label", "acme/u1",
                        "permissions", List.of("org:billing:read"), "tier", 3, "beta", true, "region", "eu"));
        // without an organization or metadata: the fallback applies, a lone placeholder is left out, text keeps the rest
        assertThat(t.evaluate(context(Map.of("user.id", "u2"))))
                .containsExactlyInAnyOrderEntriesOf(Map.of("plan", "free", "label", "/u2", "tier", 3, "beta", true, "region", "eu"));
    }

    @Test
    void templateErrorsAreReportedAtTheirPathAllInOneParse() {
        assertThat(errors(IDENTITY + ROUTES + """
                token_templates:
                  billing:
                    audience: billing-api
                    claims: { sub: "{{user.email}}" }
                  reports:
                    audience: reports-api
                    claims: { plan: "{{user.plan}}" }
                  brief:
                    audience: brief-api
                    lifetime: 4s
                  long:
                    audience: long-api
                    lifetime: 2h
                  nameless:
                    lifetime: 30s
                  broken:
                    audience: broken-api
                    claims: { email: "{{user.email" }
                  shaped:
                    audience: shaped-api
                    claims: { tags: [a, b] }
                """)).containsExactly(
                "token_templates.billing.claims.sub: is reserved and set by Gatehouse",
                "token_templates.reports.claims.plan: unknown placeholder user.plan (known: user.id, user.email, user.name, "
                        + "user.picture, user.public_metadata.KEY, org.id, org.slug, org.name, org.role, org.permissions, session.id)",
                "token_templates.brief.lifetime: must be between 5s and 60m (got 4s)",
                "token_templates.long.lifetime: must be between 5s and 60m (got 7200s)",
                "token_templates.nameless.audience: is required",
                "token_templates.broken.claims.email: unclosed {{ in '{{user.email'",
                "token_templates.shaped.claims.tags: must be a string, number or boolean");
    }

    @Test
    void everyReservedClaimIsRefused() {
        for (String claim : List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid", "azp")) {
            assertThat(errors(IDENTITY + ROUTES + "token_templates: { t: { audience: a, claims: { " + claim + ": x } } }"))
                    .containsExactly("token_templates.t.claims." + claim + ": is reserved and set by Gatehouse");
        }
    }

    @Test
    void templatesMayNotSetTheOrgAndRolesClaimsGatehouseWritesItself() {
        // the minter writes org and roles after the template's claims, so a template value would silently vanish
        assertThat(errors(IDENTITY + ROUTES + """
                token_templates:
                  t: { audience: a, claims: { org: "{{org.slug}}", roles: "{{user.public_metadata.roles}}", plan: free } }
                """)).containsExactly(
                "token_templates.t.claims.org: is reserved and set by Gatehouse",
                "token_templates.t.claims.roles: is reserved and set by Gatehouse");
    }

    @Test
    void templateLifetimeBoundsAreInclusive() throws Exception {
        GatewayConfig c = parse(IDENTITY + ROUTES + """
                token_templates:
                  shortest: { audience: a, lifetime: 5s }
                  longest: { audience: b, lifetime: 1h }
                  plain: { audience: c }
                """);

        assertThat(c.tokenTemplates().get("shortest").lifetime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.tokenTemplates().get("longest").lifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(c.tokenTemplates().get("plain").lifetime()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void routeNamingAnUnknownTemplateIsRefused() {
        assertThat(routeErrors("""
                token_templates: { billing: { audience: billing-api } }
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", token: { template: biling } }
                """)).containsExactly("routes[0].token.template: no token template named biling in token_templates");
        assertThat(routeErrors("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", token: { template: billing } }
                """)).containsExactly("routes[0].token.template: no token template named billing in token_templates");
    }

    @Test
    void routeNamingATemplateWithErrorsIsNotAlsoToldItIsMissing() {
        // the template exists; a second, false "no token template named billing" would send the reader the wrong way
        assertThat(routeErrors("""
                token_templates: { billing: { audience: billing-api, lifetime: 2h } }
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", token: { template: billing } }
                """)).containsExactly("token_templates.billing.lifetime: must be between 5s and 60m (got 7200s)");
    }

    @Test
    void templateAndExchangeTogetherAreRefused() {
        assertThat(routeErrors("""
                token_templates: { billing: { audience: billing-api } }
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", token: { template: billing, exchange: { audience: x } } }
                """)).containsExactly("routes[0].token: give either template or exchange, not both");
    }

    @Test
    void exchangeNeedsAnAudience() throws Exception {
        assertThat(routeErrors("""
                routes:
                  - { match: /a/**, upstream: "http://127.0.0.1:9001", token: { exchange: { scope: reports } } }
                  - { match: /b/**, upstream: "http://127.0.0.1:9001", token: { exchange: { audience: "" } } }
                  - { match: /c/**, upstream: "http://127.0.0.1:9001", token: { exchange: {} } }
                """)).containsExactly(
                "routes[0].token.exchange.audience: is required",
                "routes[1].token.exchange.audience: is required",
                "routes[2].token.exchange.audience: is required");
        assertThat(withRoutes("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", token: { exchange: { audience: reports-api } } }
                """).routes().get(0).token()).isEqualTo(new TokenSpec.Exchange("reports-api", null));
    }

    @Test
    void tokenIsNoneRelayOrOneOfTheTwoMappings() {
        assertThat(routeErrors("""
                routes:
                  - { match: /a/**, upstream: "http://127.0.0.1:9001", token: template }
                  - { match: /b/**, upstream: "http://127.0.0.1:9001", token: billing }
                  - { match: /c/**, upstream: "http://127.0.0.1:9001", token: {} }
                  - { match: /d/**, upstream: "http://127.0.0.1:9001", token: { templat: billing } }
                  - { match: /e/**, upstream: "http://127.0.0.1:9001", token: [relay] }
                """)).containsExactly(
                "routes[0].token: must be none, relay, {template: NAME} or {exchange: {audience: ..}} (got 'template')",
                "routes[1].token: must be none, relay, {template: NAME} or {exchange: {audience: ..}} (got 'billing')",
                "routes[2].token: must be none, relay, {template: NAME} or {exchange: {audience: ..}}",
                "routes[3].token.templat: unknown key",
                "routes[3].token: must be none, relay, {template: NAME} or {exchange: {audience: ..}}",
                "routes[4].token: must be a single value");
    }

    @Test
    void bearerNeedsARouteThatUsesIdentity() throws Exception {
        assertThat(routeErrors("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", access: public, bearer: true }
                """)).containsExactly("routes[0].bearer: needs access: optional or authenticated");
        assertThat(routeErrors("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", bearer: yes please }
                """)).containsExactly("routes[0].bearer: must be true or false");
        assertThat(withRoutes("""
                routes:
                  - { match: /a/**, upstream: "http://127.0.0.1:9001", access: optional, bearer: true }
                  - { match: /b/**, upstream: "http://127.0.0.1:9001", bearer: true }
                  - { match: /c/**, upstream: "http://127.0.0.1:9001", access: public, bearer: false }
                  - { match: /d/**, upstream: "http://127.0.0.1:9001" }
                """).routes()).extracting(Route::bearer).containsExactly(true, true, false, false);
    }

    @Test
    void bearerAudiencesDefaultToTheClientId() throws Exception {
        assertThat(parse(IDENTITY + ROUTES).identity().bearerAudiences()).containsExactly("gatehouse");
        assertThat(parse(IDENTITY + "  bearer_audiences: [mobile-app, cli]\n" + ROUTES).identity().bearerAudiences())
                .containsExactly("mobile-app", "cli");
        assertThat(parse(IDENTITY + "  bearer_audiences: mobile-app\n" + ROUTES).identity().bearerAudiences())
                .containsExactly("mobile-app");
    }

    @Test
    void publicMetadataClaimMappingIsAccepted() throws Exception {
        assertThat(parse(IDENTITY + "  claims: { public_metadata: app_metadata }\n" + ROUTES).identity().claims())
                .containsExactly(Map.entry("public_metadata", "app_metadata"));
    }

    @Test
    void trustedProxiesMustBeAddressesOrCidrRanges() throws Exception {
        assertThat(errors(IDENTITY + ROUTES + """
                forward_auth:
                  trusted_proxies: [10.0.0.0/8, proxy.internal, 10.0.0.0/33, "::1/129", 300.1.1.1, 10.0.0.0/x, ""]
                """)).containsExactly(
                "forward_auth.trusted_proxies[1]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[2]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[3]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[4]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[5]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[6]: not an address or CIDR range (e.g. 10.0.0.0/8)");
        assertThat(parse(IDENTITY + ROUTES + "forward_auth: { trusted_proxies: \"172.16.0.0/12\" }").forwardAuth().trustedProxies())
                .containsExactly("172.16.0.0/12");
        assertThat(parse(IDENTITY + ROUTES + "forward_auth: { trusted_proxies: [\"::1\", \"fd00::/8\", 0.0.0.0/0] }")
                .forwardAuth().trustedProxies()).containsExactly("::1", "fd00::/8", "0.0.0.0/0");
    }

    @Test
    void trustedProxiesAreLiteralsNeverNamesOrShorthand() {
        // "10" would be read as 0.0.0.10 and "1.2.3" as 1.2.0.3; "cafe" looks hexadecimal but would be looked up in DNS
        assertThat(errors(IDENTITY + ROUTES + """
                forward_auth:
                  trusted_proxies: ["10", 1.2.3, cafe, dead.beef, 010.0.0.1, 10.0.0.0/+8]
                """)).containsExactly(
                "forward_auth.trusted_proxies[0]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[1]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[2]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[3]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[4]: not an address or CIDR range (e.g. 10.0.0.0/8)",
                "forward_auth.trusted_proxies[5]: not an address or CIDR range (e.g. 10.0.0.0/8)");
    }

    @Test
    void redirectNavigationsIsABoolean() throws Exception {
        assertThat(parse(IDENTITY + ROUTES + "forward_auth: { redirect_navigations: true }").forwardAuth().redirectNavigations()).isTrue();
        assertThat(errors(IDENTITY + ROUTES + "forward_auth: { redirect_navigations: sometimes }"))
                .containsExactly("forward_auth.redirect_navigations: must be true or false");
    }

    @Test
    void signingRotationIsAtLeastAnHour() throws Exception {
        assertThat(errors(IDENTITY + ROUTES + "signing: { rotation: 59m }")).containsExactly("signing.rotation: must be at least 1h");
        assertThat(errors(IDENTITY + ROUTES + "signing: { rotation: monthly }"))
                .containsExactly("signing.rotation: not a duration (use e.g. 500ms, 30s, 30m, 12h)");
        assertThat(parse(IDENTITY + ROUTES + "signing: { rotation: 1h }").signing().rotation()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void signingAlgorithmIsES256OrRS256() throws Exception {
        assertThat(parse(IDENTITY + ROUTES + "signing: { algorithm: RS256 }").signing().algorithm()).isEqualTo(GatewayConfig.Algorithm.RS256);
        assertThat(parse(IDENTITY + ROUTES + "signing: { algorithm: es256 }").signing().algorithm()).isEqualTo(GatewayConfig.Algorithm.ES256);
        // symmetric keys would have to be shared with every service, and none is nothing at all
        assertThat(errors(IDENTITY + ROUTES + "signing: { algorithm: HS256 }"))
                .containsExactly("signing.algorithm: must be one of es256, rs256 (got 'HS256')");
        assertThat(errors(IDENTITY + ROUTES + "signing: { algorithm: none }"))
                .containsExactly("signing.algorithm: must be one of es256, rs256 (got 'none')");
    }

    @Test
    void unknownKeysInTheNewSectionsAreReported() {
        assertThat(errors(IDENTITY + """
                signing: { algoritm: ES256 }
                token_templates: { billing: { audience: a, lifetme: 30s } }
                forward_auth: { trusted_proxy: [10.0.0.0/8] }
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", token: { exchange: { audeince: x, audience: y } } }
                """)).containsExactlyInAnyOrder(
                "signing.algoritm: unknown key",
                "token_templates.billing.lifetme: unknown key",
                "forward_auth.trusted_proxy: unknown key",
                "routes[0].token.exchange.audeince: unknown key");
    }

    @Test
    void newSectionsMustBeMappings() {
        assertThat(errors(IDENTITY + ROUTES + """
                signing: ES256
                token_templates: [billing]
                forward_auth: on
                """)).containsExactlyInAnyOrder(
                "signing: must be a mapping",
                "token_templates: must be a mapping",
                "forward_auth: must be a mapping");
    }

    @Test
    void knownKeysAreDottedPathsWithListMarkers() {
        assertThat(ConfigLoader.knownKeys()).contains(
                "public_url", "session.idle_timeout", "identity.claims", "csrf.allowed_origins",
                "routes[].match", "routes[].require.permissions")
                .allSatisfy(k -> assertThat(k).doesNotContainPattern("\\[\\d"));
    }
}
