package dev.gatehouse.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.server.config.GatewayConfig.Access;
import dev.gatehouse.server.config.GatewayConfig.ClientAuth;
import dev.gatehouse.server.config.GatewayConfig.Csrf;
import dev.gatehouse.server.config.GatewayConfig.HostPort;
import dev.gatehouse.server.config.GatewayConfig.Identity;
import dev.gatehouse.server.config.GatewayConfig.Require;
import dev.gatehouse.server.config.GatewayConfig.Route;
import dev.gatehouse.server.config.GatewayConfig.SameSite;
import dev.gatehouse.server.config.GatewayConfig.TokenSpec;
import dev.gatehouse.core.tokens.TemplateException;
import dev.gatehouse.core.tokens.TokenTemplate;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates the YAML configuration. {@link #load(Path)} either returns a complete, valid
 * {@link GatewayConfig} or throws a {@link ConfigException} listing every problem with its path.
 */
public final class ConfigLoader {
    // a repeated key would otherwise silently replace the first (a second "access: public" opening a route)
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final Pattern ROUTE_PATTERN = Pattern.compile("/([A-Za-z0-9._~!$&'()+,=:@%-]+/|\\*/)*([A-Za-z0-9._~!$&'()+,=:@%-]+|\\*|\\*\\*)?");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Set<String> CLAIM_KEYS = Set.of("user_id", "email", "name", "picture", "roles", "organizations",
            "organization", "public_metadata");

    /** The client id the embedded provider registers the gateway under, unless {@code identity.client_id} says otherwise. */
    public static final String EMBEDDED_CLIENT_ID = "gatehouse";

    private final Function<String, String> environment;

    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /** A loader that substitutes variables from the process environment. */
    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    public GatewayConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read (" + e.getClass().getSimpleName() + ")"));
        }
        return parse(text);
    }

    public GatewayConfig parse(String yaml) throws ConfigException {
        Context context = new Context(environment);
        GatewayConfig config = read(yaml, context);
        if (!context.errors.isEmpty()) {
            throw new ConfigException(context.errors);
        }
        return config;
    }

    /** Every key the loader understands, as dotted paths with {@code []} for list items; for the docs test. */
    public static Set<String> knownKeys() {
        Context context = new Context(name -> "x");
        read("identity: {embedded: {database: {}, clients: [{}]}}\ntoken_templates: {t: {claims: {}}}\n"
                + "routes: [{require: {}, token: {template: t, exchange: {}}}]", context);
        return new TreeSet<>(context.knownKeys);
    }

    static final class Context {
        final List<String> errors = new ArrayList<>();
        final Set<String> knownKeys = new LinkedHashSet<>();
        private final Function<String, String> environment;

        Context(Function<String, String> environment) {
            this.environment = environment;
        }

        String substitute(String value, String path) {
            return Variables.substitute(value, path, environment, errors);
        }
    }

    private static GatewayConfig read(String yaml, Context context) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            context.errors.add("(file): not valid YAML" + where);
            return null;
        }
        Section top = new Section(root, "", context);
        URI publicUrl = top.url("public_url", false);
        if (publicUrl != null) {
            String p = publicUrl.getRawPath();
            if (p != null && !p.isEmpty() && !p.equals("/")) {
                top.error("public_url", "must be an origin without a path (Gatehouse serves from the root)");
            } else if (publicUrl.getScheme().equalsIgnoreCase("http") && !isLoopback(publicUrl.getHost())) {
                top.error("public_url", "must be https (http is only allowed for localhost and 127.0.0.1)");
            }
        }
        HostPort listen = hostPort(top, "listen", "127.0.0.1:8080");
        HostPort admin = hostPort(top, "admin_listen", "127.0.0.1:9090");
        GatewayConfig.Session session = session(top.section("session"));
        Identity identity = identity(top.section("identity"));
        Csrf csrf = csrf(top.section("csrf"));
        GatewayConfig.Signing signing = signing(top.section("signing"));
        Section templateSection = top.section("token_templates");
        Map<String, TokenTemplate> templates = templates(templateSection);
        // a template with its own errors still exists: a route naming it must not also be told it does not
        Set<String> templateNames = Set.copyOf(templateSection.keys());
        GatewayConfig.ForwardAuth forwardAuth = forwardAuth(top.section("forward_auth"));
        List<Route> routes = new ArrayList<>();
        if (!top.eachSection("routes", s -> routes.add(route(s, templateNames)))) {
            top.error("routes", "is required (at least one route)");
        }
        top.finish();
        return new GatewayConfig(publicUrl, listen, admin, session, identity, csrf, signing, templates, forwardAuth, routes);
    }

    static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    static HostPort hostPort(Section s, String key, String fallback) {
        String v = s.string(key, fallback);
        // YAML 1.1 reads a bare off as the boolean false
        if ((v.equalsIgnoreCase("off") || v.equals("false")) && key.equals("admin_listen")) {
            return null;
        }
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            s.error(key, "must be host:port (got '" + v + "')");
            return null;
        }
        try {
            int port = Integer.parseInt(v.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new HostPort(v.substring(0, colon), port);
        } catch (NumberFormatException e) {
            s.error(key, "port must be a number from 0 to 65535");
            return null;
        }
    }

    private static GatewayConfig.Session session(Section s) {
        String store = s.string("store", "memory");
        if (!store.equals("memory")) {
            s.error("store", "must be memory (the redis store is not available in this version)");
        }
        Duration idle = s.duration("idle_timeout", Duration.ofMinutes(30));
        Duration absolute = s.duration("absolute_timeout", Duration.ofHours(12));
        if (absolute.compareTo(idle) < 0) {
            s.error("absolute_timeout", "must not be shorter than idle_timeout");
        }
        SameSite sameSite = s.choice("same_site", SameSite.class, SameSite.LAX);
        s.finish();
        return new GatewayConfig.Session(store, idle, absolute, sameSite);
    }

    private static Identity identity(Section s) {
        String provider = s.string("provider", "oidc");
        boolean embedded = provider.equals("embedded");
        if (!embedded && !provider.equals("oidc")) {
            s.error("provider", "must be oidc or embedded (got '" + provider + "')");
        }
        boolean insecure = s.bool("insecure_allow_http", false);
        URI issuer = s.url("issuer", !embedded);
        if (embedded && issuer != null) {
            s.error("issuer", "is the embedded provider's own (identity.embedded.public_url); remove it with provider: embedded");
        } else if (issuer != null && issuer.getScheme().equalsIgnoreCase("http") && !isLoopback(issuer.getHost()) && !insecure) {
            s.error("issuer", "must be https (set insecure_allow_http: true to allow plain http, for testing only)");
        }
        // the embedded provider registers the gateway under this id; the launcher makes up the secret when none is given
        String clientId = embedded ? s.string("client_id", EMBEDDED_CLIENT_ID) : s.requiredString("client_id");
        ClientAuth auth = s.choice("client_auth", ClientAuth.class, ClientAuth.CLIENT_SECRET_BASIC);
        String secret = s.string("client_secret", null);
        String keyFile = s.string("private_key_file", null);
        if (embedded && auth == ClientAuth.PRIVATE_KEY_JWT) {
            s.error("client_auth", "must be client_secret_basic or client_secret_post with provider: embedded");
        } else if (auth == ClientAuth.PRIVATE_KEY_JWT) {
            if (keyFile == null) {
                s.error("private_key_file", "is required with client_auth: private_key_jwt");
            } else if (!Files.isReadable(Path.of(keyFile))) {
                s.error("private_key_file", "cannot read " + keyFile);
            }
        } else if (!embedded && (secret == null || secret.isBlank())) {
            s.error("client_secret", "is required with client_auth: " + auth.name().toLowerCase(Locale.ROOT));
        }
        if (embedded && secret != null && secret.length() < 32) {
            s.error("client_secret", "must be at least 32 characters (or leave it out: one is generated at each start)");
        }
        // No offline_access by default: some providers (Keycloak) then make an offline session that outlives the
        // user's logout at the provider and sends no back-channel logout for it. Add it where the provider needs it
        // to issue a refresh token (Auth0, Okta).
        List<String> scopes = s.strings("scopes", List.of("openid", "profile", "email"));
        if (!scopes.contains("openid")) {
            s.error("scopes", "must include openid");
        }
        Map<String, String> claims = s.stringMap("claims");
        for (String key : claims.keySet()) {
            if (!CLAIM_KEYS.contains(key)) {
                s.error("claims." + key, "unknown claim mapping (known: " + String.join(", ", new TreeSet<>(CLAIM_KEYS)) + ")");
            }
        }
        Duration refreshBefore = s.duration("refresh_before_expiry", Duration.ofSeconds(30));
        Duration skew = s.duration("clock_skew", Duration.ofSeconds(30));
        List<String> bearerAudiences = s.strings("bearer_audiences", clientId == null ? List.of() : List.of(clientId));
        String postLogout = s.string("post_logout_redirect", "/");
        if (!postLogout.startsWith("/") || postLogout.startsWith("//") || postLogout.startsWith("/\\")) {
            s.error("post_logout_redirect", "must be a local path such as /");
        }
        boolean embeddedGiven = s.has("embedded");
        GatewayConfig.Embedded section = EmbeddedSection.read(s.section("embedded"), clientId, insecure);
        if (embeddedGiven && !embedded) {
            s.error("embedded", "is only read with provider: embedded");
        }
        s.finish();
        return new Identity(issuer, clientId, secret, auth, keyFile == null ? null : Path.of(keyFile), List.copyOf(scopes),
                Map.copyOf(claims), refreshBefore, skew, List.copyOf(bearerAudiences), postLogout, insecure,
                embedded ? section : null);
    }

    private static Csrf csrf(Section s) {
        String header = s.string("header", "X-CSRF");
        if (!header.matches("[A-Za-z0-9-]+")) {
            s.error("header", "not a header name");
        }
        Set<String> origins = new LinkedHashSet<>();
        List<String> listed = s.strings("allowed_origins", List.of());
        for (int i = 0; i < listed.size(); i++) {
            String o = listed.get(i);
            URI u = null;
            try {
                u = new URI(o);
            } catch (URISyntaxException e) {
                // reported below
            }
            if (u == null || u.getScheme() == null || u.getHost() == null || (u.getRawPath() != null && !u.getRawPath().isEmpty())) {
                s.error("allowed_origins[" + i + "]", "not an origin (scheme://host[:port])");
            } else {
                origins.add(o.toLowerCase(Locale.ROOT));
            }
        }
        s.finish();
        return new Csrf(header, Set.copyOf(origins));
    }

    private static GatewayConfig.Signing signing(Section s) {
        GatewayConfig.Algorithm algorithm = s.choice("algorithm", GatewayConfig.Algorithm.class, GatewayConfig.Algorithm.ES256);
        String file = s.string("key_file", "./data/signing-keys.json");
        Duration rotation = s.duration("rotation", Duration.ofDays(30));
        if (rotation.compareTo(Duration.ofHours(1)) < 0) {
            s.error("rotation", "must be at least 1h");
        }
        s.finish();
        return new GatewayConfig.Signing(algorithm, Path.of(file), rotation);
    }

    private static Map<String, TokenTemplate> templates(Section all) {
        Map<String, TokenTemplate> out = new java.util.LinkedHashMap<>();
        for (String name : all.keys()) {
            Section s = all.section(name);
            String audience = s.string("audience", null);
            Duration lifetime = s.duration("lifetime", TokenTemplate.DEFAULT_LIFETIME);
            Map<String, Object> claims = new java.util.LinkedHashMap<>(s.scalarMap("claims"));
            s.finish();
            try {
                out.put(name, TokenTemplate.compile(name, audience, lifetime, claims));
            } catch (TemplateException e) {
                for (String message : e.problems()) {
                    int colon = message.indexOf(": ");
                    if (colon > 0 && !message.substring(0, colon).contains(" ")) {
                        s.error(message.substring(0, colon), message.substring(colon + 2));
                    } else {
                        s.error("", message);
                    }
                }
            }
        }
        return Map.copyOf(out);
    }

    private static GatewayConfig.ForwardAuth forwardAuth(Section s) {
        List<String> proxies = s.strings("trusted_proxies", List.of("127.0.0.1/32", "::1/128"));
        for (int i = 0; i < proxies.size(); i++) {
            if (!Cidr.valid(proxies.get(i))) {
                s.error("trusted_proxies[" + i + "]", "not an address or CIDR range (e.g. 10.0.0.0/8)");
            }
        }
        boolean redirect = s.bool("redirect_navigations", false);
        s.finish();
        return new GatewayConfig.ForwardAuth(List.copyOf(proxies), redirect);
    }

    private static TokenSpec token(Section route, Access access, Set<String> templates) {
        if (route.isMapping("token")) {
            Section t = route.section("token");
            String template = t.string("template", null);
            boolean exchangeGiven = t.has("exchange");
            Section x = t.section("exchange");
            String audience = x.string("audience", null);
            String scope = x.string("scope", null);
            x.finish();
            t.finish();
            if (template != null && exchangeGiven) {
                route.error("token", "give either template or exchange, not both");
                return TokenSpec.NONE;
            }
            if (template != null) {
                if (!templates.contains(template)) {
                    route.error("token.template", "no token template named " + template + " in token_templates");
                }
                return new TokenSpec.Template(template);
            }
            if (exchangeGiven) {
                if (audience == null || audience.isBlank()) {
                    route.error("token.exchange.audience", "is required");
                }
                return new TokenSpec.Exchange(audience, scope);
            }
            route.error("token", "must be none, relay, {template: NAME} or {exchange: {audience: ..}}");
            return TokenSpec.NONE;
        }
        String mode = route.string("token", "none");
        switch (mode) {
            case "none":
                return TokenSpec.NONE;
            case "relay":
                return TokenSpec.RELAY;
            default:
                route.error("token", "must be none, relay, {template: NAME} or {exchange: {audience: ..}} (got '" + mode + "')");
                return TokenSpec.NONE;
        }
    }

    private static Route route(Section s, Set<String> templates) {
        String match = s.requiredString("match");
        if (match != null && !ROUTE_PATTERN.matcher(match).matches()) {
            s.error("match", "not a path pattern (e.g. /api/orders/**, /api/*/items, /health)");
        }
        String host = s.string("host", null);
        Set<String> methods = new LinkedHashSet<>();
        for (String m : s.strings("methods", List.of())) {
            String upper = m.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(upper)) {
                s.error("methods", "unknown method " + m);
            }
            methods.add(upper);
        }
        URI upstream = s.url("upstream", true);
        String strip = s.string("strip_prefix", null);
        // whole segments only: stripping /api/bill from /api/billing/x would leave "ing/x", and / would leave "x"
        if (strip != null && match != null && !literalPrefix(match).equals(strip) && !literalPrefix(match).startsWith(strip + "/")) {
            s.error("strip_prefix", "must be a prefix of match (" + match + ")");
        }
        if (strip != null && (!strip.startsWith("/") || strip.endsWith("/"))) {
            s.error("strip_prefix", "must start with / and not end with /");
        }
        Access access = s.choice("access", Access.class, Access.AUTHENTICATED);
        Require require = require(s, access);
        TokenSpec token = token(s, access, templates);
        if (!(token instanceof TokenSpec.None) && access == Access.PUBLIC) {
            s.error("token", "a token needs access: optional or authenticated");
        }
        boolean bearer = s.bool("bearer", false);
        if (bearer && access == Access.PUBLIC) {
            s.error("bearer", "needs access: optional or authenticated");
        }
        Duration connect = s.duration("connect_timeout", Duration.ofSeconds(5));
        Duration timeout = s.duration("timeout", Duration.ofSeconds(30));
        return new Route(match, host, Set.copyOf(methods), upstream, strip, access, require, token, bearer, connect, timeout);
    }

    private static Require require(Section route, Access access) {
        boolean present = route.has("require");
        Section s = route.section("require");
        List<String> roles = s.strings("roles", List.of());
        String organization = s.string("organization", null);
        if ("true".equals(organization) || "any".equals(organization)) {
            organization = dev.gatehouse.core.access.Requirement.ANY_ORGANIZATION;
        } else if ("false".equals(organization)) {
            organization = null;
        }
        List<String> orgRoles = s.strings("organization_roles", List.of());
        List<String> permissions = s.strings("permissions", List.of());
        s.finish();
        if (present && access != Access.AUTHENTICATED) {
            route.error("require", "needs access: authenticated");
        }
        return new Require(roles, organization, orgRoles, permissions);
    }

    /** The part of a route pattern before its first wildcard, e.g. {@code /api/orders} for {@code /api/orders/**}. */
    static String literalPrefix(String pattern) {
        int star = pattern.indexOf('*');
        String p = star < 0 ? pattern : pattern.substring(0, star);
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
