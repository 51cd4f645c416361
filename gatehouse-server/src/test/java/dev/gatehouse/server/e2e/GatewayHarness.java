package dev.gatehouse.server.e2e;

import com.nimbusds.jwt.JWTParser;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatewayConfig;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * One end-to-end world on 127.0.0.1, every server on port 0: NAV's mock-oauth2-server as the OpenID provider (a
 * real OIDC server, with refresh-token rotation on), two recording upstreams ({@link #api} and {@link #spa}) and
 * the gateway, with a clock tests can move. {@link #signInAs} runs the real authorization-code flow.
 *
 * <p>Default routes (override with {@link Builder#routes}): {@code /api/public/**} public, {@code /api/optional/**}
 * optional, {@code /api/orders/**} authenticated with {@code token: relay}, {@code /api/admin/**} needing role
 * {@code admin}, {@code /api/billing/**} needing {@code org:billing:read}, {@code /api/slow/**} with a 1 s timeout,
 * {@code /api/down/**} to a closed port, {@code /app/**} an authenticated page, and {@code /**} the public SPA.
 */
public final class GatewayHarness implements AutoCloseable {
    public static final String CLIENT_ID = "gatehouse";
    public static final String ISSUER_ID = "default";

    public final MockOAuth2Server provider;
    public final EchoUpstream api;
    public final EchoUpstream spa;
    public final MutableClock clock;
    public final Gateway gateway;
    public final GatewayConfig config;
    private final ResponseLog log;
    private final String base;

    private GatewayHarness(Builder b) throws Exception {
        provider = new MockOAuth2Server(new OAuth2Config(b.interactiveLogin, null, null, true));
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        api = new EchoUpstream();
        spa = new EchoUpstream();
        clock = new MutableClock(b.clockStart != null ? b.clockStart : Instant.now());
        String yaml = b.yaml(this);
        config = new ConfigLoader(name -> null).parse(yaml);
        gateway = Gateway.start(config, clock, new SecureRandom()).get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + gateway.port();
        log = new ResponseLog(base);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static GatewayHarness start() throws Exception {
        return builder().start();
    }

    public String issuer() {
        return provider.issuerUrl(ISSUER_ID).toString();
    }

    public String baseUrl() {
        return base;
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + gateway.adminPort();
    }

    public ResponseLog responses() {
        return log;
    }

    /** The session cookie's name for this harness (plain {@code gatehouse} on http://127.0.0.1). */
    public String cookieName() {
        return "gatehouse";
    }

    /** A new browser with an empty cookie jar. */
    public Browser browser() {
        return new Browser(base, log);
    }

    /** Signs a user in through the provider with default claims ({@code email} = name@example.com). */
    public Browser signInAs(String name) {
        return user(name).signIn();
    }

    public UserSpec user(String name) {
        return new UserSpec(name);
    }

    /** Every token the provider issued that the suite has seen: access tokens the upstreams received. */
    public List<String> tokensSeenUpstream() {
        List<String> tokens = new ArrayList<>();
        for (EchoUpstream u : List.of(api, spa)) {
            for (EchoUpstream.Seen s : u.seen()) {
                String auth = s.header("authorization");
                if (auth != null && auth.startsWith("Bearer ")) {
                    tokens.add(auth.substring(7));
                }
            }
        }
        return tokens;
    }

    /** The claims of a JWT, for assertions on tokens the upstream received. */
    public static Map<String, Object> claims(String jwt) {
        try {
            return JWTParser.parse(jwt).getJWTClaimsSet().getClaims();
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        api.close();
        spa.close();
        provider.shutdown();
    }

    /** The claims a user signs in with; the provider puts them into the ID and access tokens. */
    public final class UserSpec {
        private final String subject;
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private final List<Map<String, Object>> organizations = new ArrayList<>();
        private long expiresInSeconds = 3600;

        UserSpec(String name) {
            this.subject = name;
            claims.put("email", name + "@example.com");
            claims.put("name", Character.toUpperCase(name.charAt(0)) + name.substring(1));
        }

        public UserSpec roles(String... roles) {
            claims.put("roles", List.of(roles));
            return this;
        }

        public UserSpec organization(String id, String role, String... permissions) {
            organizations.add(Map.of("id", id, "slug", id, "name", id.toUpperCase(java.util.Locale.ROOT), "role", role,
                    "permissions", List.of(permissions)));
            return this;
        }

        public UserSpec claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        /** Lifetime of the access and ID tokens the provider issues for this sign-in. */
        public UserSpec tokensExpireIn(long seconds) {
            this.expiresInSeconds = seconds;
            return this;
        }

        /** Queues these claims for the next token the provider issues, without signing in. */
        public void enqueue() {
            Map<String, Object> all = new LinkedHashMap<>(claims);
            if (!organizations.isEmpty()) {
                all.put("organizations", organizations);
            }
            provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of(CLIENT_ID), all, expiresInSeconds));
        }

        /** Runs the full sign-in in a new browser and returns it, signed in. */
        public Browser signIn() {
            return signIn(browser());
        }

        /** Runs the full sign-in in the given browser. */
        public Browser signIn(Browser browser) {
            enqueue();
            Browser.Response end = browser.navigateFollowing("/auth/login?returnTo=/");
            if (browser.cookie(cookieName()) == null) {
                throw new AssertionError("sign-in as " + subject + " failed: " + end.status() + " " + end.body());
            }
            return browser;
        }
    }

    /** Options for the world: extra config sections and routes. */
    public static final class Builder {
        private String routes;
        private String identityExtra = "";
        private String sessionExtra = "";
        private String csrfExtra = "";
        private boolean interactiveLogin;
        private String issuerOverride;
        private String extraYaml = "";
        private java.nio.file.Path keyFile;
        private String signingExtra = "";
        private Instant clockStart;

        /** Extra top-level YAML (e.g. token_templates, forward_auth). */
        public Builder yaml(String topLevel) {
            this.extraYaml = topLevel;
            return this;
        }

        /** Where the gateway keeps its signing keys; a fresh temporary file unless set (to share keys across restarts). */
        public Builder keyFile(java.nio.file.Path file) {
            this.keyFile = file;
            return this;
        }

        /** Extra lines for the {@code signing:} section (algorithm, rotation); the harness sets key_file. */
        public Builder signing(String extraLines) {
            this.signingExtra = extraLines;
            return this;
        }

        /** Starts the harness clock at this instant instead of now, e.g. to restart a gateway past a key rotation. */
        public Builder clockAt(Instant start) {
            this.clockStart = start;
            return this;
        }

        /** Points the gateway at another issuer URL (e.g. a provider that is down). */
        public Builder issuerOverride(String issuer) {
            this.issuerOverride = issuer;
            return this;
        }

        /** Replaces the default routes; {@code %API%} and {@code %SPA%} stand for the upstream URLs. */
        public Builder routes(String yamlList) {
            this.routes = yamlList;
            return this;
        }

        public Builder identity(String extraLines) {
            this.identityExtra = extraLines;
            return this;
        }

        public Builder session(String extraLines) {
            this.sessionExtra = extraLines;
            return this;
        }

        public Builder csrf(String extraLines) {
            this.csrfExtra = extraLines;
            return this;
        }

        /**
         * The provider shows its HTML sign-in form (username and claims) instead of signing in at once, for a real
         * browser; {@link UserSpec#signIn} does not work with it.
         */
        public Builder interactiveLogin() {
            this.interactiveLogin = true;
            return this;
        }

        public GatewayHarness start() throws Exception {
            return new GatewayHarness(this);
        }

        String yaml(GatewayHarness h) {
            String r = routes != null ? routes : String.join("\n",
                    "  - {match: /api/public/**, upstream: %API%, access: public}",
                    "  - {match: /api/optional/**, upstream: %API%, access: optional}",
                    "  - {match: /api/orders/**, upstream: %API%, strip_prefix: /api, access: authenticated, token: relay}",
                    "  - {match: /api/admin/**, upstream: %API%, access: authenticated, require: {roles: [admin]}}",
                    "  - {match: /api/billing/**, upstream: %API%, access: authenticated, token: relay, require: {permissions: [org:billing:read]}}",
                    "  - {match: /api/slow/**, upstream: %API%, access: public, timeout: 1s}",
                    "  - {match: /api/down/**, upstream: 'http://127.0.0.1:9', access: public, connect_timeout: 2s}",
                    "  - {match: /app/**, upstream: %SPA%, access: authenticated}",
                    "  - {match: /**, upstream: %SPA%, access: public}");
            r = r.replace("%API%", h.api.url()).replace("%SPA%", h.spa.url());
            return String.join("\n",
                    "listen: 127.0.0.1:0",
                    "admin_listen: 127.0.0.1:0",
                    "session:",
                    sessionExtra.contains("idle_timeout") ? "" : "  idle_timeout: 30m",
                    sessionExtra.contains("absolute_timeout") ? "" : "  absolute_timeout: 12h",
                    indent(sessionExtra),
                    "identity:",
                    "  issuer: " + (issuerOverride != null ? issuerOverride : h.issuer()),
                    "  client_id: " + CLIENT_ID,
                    "  client_secret: not-a-real-secret",
                    indent(identityExtra),
                    "csrf:",
                    "  header: X-CSRF",
                    indent(csrfExtra),
                    "signing:",
                    "  key_file: " + keyFile(),
                    indent(signingExtra),
                    extraYaml,
                    "routes:",
                    r);
        }

        private String keyFile() {
            if (keyFile == null) {
                try {
                    keyFile = java.nio.file.Files.createTempDirectory("gatehouse-keys").resolve("signing-keys.json");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return keyFile.toString();
        }

        private static String indent(String lines) {
            if (lines.isBlank()) {
                return "";
            }
            StringBuilder out = new StringBuilder();
            for (String line : lines.split("\n")) {
                out.append("  ").append(line).append('\n');
            }
            return out.toString().stripTrailing();
        }
    }
}
