package dev.gatehouse.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.access.Requirement;
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
                  claims: { roles: realm_access.roles, organizations: orgs }
                  refresh_before_expiry: 45s
                  clock_skew: 500ms
                  post_logout_redirect: /goodbye
                csrf:
                  header: X-Requested-By
                  allowed_origins: [https://Admin.Example.com, "http://localhost:3000"]
                routes:
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
                Map.of("roles", "realm_access.roles", "organizations", "orgs"), Duration.ofSeconds(45), Duration.ofMillis(500),
                List.of("gatehouse"), "/goodbye", false));
        assertThat(c.csrf()).isEqualTo(new GatewayConfig.Csrf("X-Requested-By", Set.of("https://admin.example.com", "http://localhost:3000")));
        assertThat(c.routes()).containsExactly(
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
                ClientAuth.CLIENT_SECRET_BASIC, null, List.of("openid", "profile", "email", "offline_access"), Map.of(),
                Duration.ofSeconds(30), Duration.ofSeconds(30), List.of("gatehouse"), "/", false));
        assertThat(c.csrf()).isEqualTo(new GatewayConfig.Csrf("X-CSRF", Set.of()));
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
                "identity.claims.groups: unknown claim mapping (known: email, name, organization, organizations, picture, roles, user_id)",
                "csrf.header: not a header name",
                "routes[0].acess: unknown key",
                "routes[1].require: needs access: authenticated",
                "routes[2].upstream: not a URL (expected http:// or https:// with a host)",
                "routes[2].strip_prefix: must be a prefix of match (/api/x/**)",
                "routes[2].methods: unknown method FETCH",
                "routes[3].match: not a path pattern (e.g. /api/orders/**, /api/*/items, /health)",
                "routes[3].token: relay needs access: optional or authenticated");
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
    void tokenRelayNeedsAnIdentity() throws Exception {
        assertThat(routeErrors("""
                routes:
                  - { match: /**, upstream: "http://127.0.0.1:9001", access: public, token: relay }
                """)).containsExactly("routes[0].token: relay needs access: optional or authenticated");
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
                "routes[0].token: must be one of none, relay (got 'exchange')");
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

    @Test
    void knownKeysAreDottedPathsWithListMarkers() {
        assertThat(ConfigLoader.knownKeys()).contains(
                "public_url", "session.idle_timeout", "identity.claims", "csrf.allowed_origins",
                "routes[].match", "routes[].require.permissions")
                .allSatisfy(k -> assertThat(k).doesNotContainPattern("\\[\\d"));
    }
}
