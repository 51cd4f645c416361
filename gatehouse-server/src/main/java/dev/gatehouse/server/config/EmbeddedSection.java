package dev.gatehouse.server.config;

import dev.gatehouse.server.config.GatewayConfig.Client;
import dev.gatehouse.server.config.GatewayConfig.Database;
import dev.gatehouse.server.config.GatewayConfig.Embedded;
import dev.gatehouse.server.config.GatewayConfig.HostPort;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code identity.embedded}: where the embedded provider listens, its public URL, database, signing keys
 * and their rotation, seed file and the extra OpenID clients it accepts. Only data: the launcher ({@code gatehouse-app}) starts the
 * provider, so this module never depends on {@code gatehouse-identity}.
 */
final class EmbeddedSection {
    static final String DEFAULT_DATABASE_URL = "jdbc:h2:file:./data/gatehouse";
    static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials");

    private EmbeddedSection() {
    }

    static Embedded read(Section s, String gatewayClientId, boolean insecureAllowHttp) {
        HostPort listen = ConfigLoader.hostPort(s, "listen", "127.0.0.1:8081");
        URI publicUrl = s.url("public_url", false);
        if (publicUrl != null) {
            String p = publicUrl.getRawPath();
            if (p != null && !p.isEmpty() && !p.equals("/")) {
                s.error("public_url", "must be an origin without a path (the provider serves from the root)");
            } else if (publicUrl.getScheme().equalsIgnoreCase("http") && !ConfigLoader.isLoopback(publicUrl.getHost())
                    && !insecureAllowHttp) {
                s.error("public_url", "must be https (http is only allowed for localhost and 127.0.0.1, "
                        + "or with identity.insecure_allow_http: true for testing)");
            }
        }
        Database database = database(s.section("database"));
        String keyFile = s.string("signing_key_file", "./data/identity-keys.json");
        String seed = s.string("seed", null);
        Duration access = s.duration("access_token_lifetime", Duration.ofMinutes(5));
        Duration refresh = s.duration("refresh_token_lifetime", Duration.ofDays(1));
        Duration session = s.duration("session_lifetime", Duration.ofHours(12));
        if (access.compareTo(Duration.ofHours(1)) > 0) {
            s.error("access_token_lifetime", "must be at most 1h (services trust an access token until it expires)");
        }
        if (refresh.compareTo(access) < 0) {
            s.error("refresh_token_lifetime", "must not be shorter than access_token_lifetime");
        }
        Duration rotation = s.duration("signing_key_rotation", Duration.ofDays(30));
        signingKeyRotationBound(s, rotation, refresh, session);
        boolean signUp = s.bool("sign_up", true);
        List<Client> clients = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        s.eachSection("clients", c -> {
            Client client = client(c, insecureAllowHttp);
            if (client.id() != null && (client.id().equals(gatewayClientId) || !ids.add(client.id()))) {
                c.error("id", "is already taken" + (client.id().equals(gatewayClientId) ? " by the gateway itself" : ""));
            }
            clients.add(client);
        });
        s.finish();
        return new Embedded(listen, publicUrl, database, Path.of(keyFile), seed == null ? null : Path.of(seed),
                access, refresh, session, rotation, signUp, List.copyOf(clients));
    }

    /**
     * A key stays published for two rotation periods after it stops signing, so a token verifies for at least two
     * periods. The provider checks an ID token's signature even after it expired (a logout or sign-in hint) for
     * as long as its session can live: up to the refresh token lifetime after sign-in, or the provider session's.
     * Asking one period to cover the longest of those leaves the second for a rotation made by hand.
     */
    private static void signingKeyRotationBound(Section s, Duration rotation, Duration refresh, Duration session) {
        if (rotation.compareTo(Duration.ofHours(1)) < 0) {
            s.error("signing_key_rotation", "must be at least 1h");
        } else if (rotation.compareTo(refresh) < 0 || rotation.compareTo(session) < 0) {
            s.error("signing_key_rotation", "must not be shorter than refresh_token_lifetime or session_lifetime "
                    + "(older keys stay published for two periods; ID tokens must verify as long as their session can live)");
        }
    }

    private static Database database(Section s) {
        String url = s.string("url", DEFAULT_DATABASE_URL);
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            s.error("url", "must start with jdbc:h2: or jdbc:postgresql:");
        }
        String user = s.string("user", null);
        String password = s.string("password", null);
        s.finish();
        return new Database(url, user, password);
    }

    private static Client client(Section s, boolean insecureAllowHttp) {
        String id = s.requiredString("id");
        if (id != null && !id.matches("[A-Za-z0-9._~-]{1,128}")) {
            s.error("id", "letters, digits and . _ ~ - only (at most 128)");
        }
        String secret = s.string("secret", null);
        if (secret != null && secret.length() < 32) {
            s.error("secret", "must be at least 32 characters; write it as ${VARIABLE}");
        }
        Set<String> grants = new LinkedHashSet<>();
        for (String g : s.strings("grant_types", List.of("authorization_code", "refresh_token"))) {
            String grant = g.toLowerCase(Locale.ROOT);
            if (!GRANT_TYPES.contains(grant)) {
                s.error("grant_types", "unknown grant type " + g + " (known: authorization_code, client_credentials, refresh_token)");
            }
            grants.add(grant);
        }
        if (grants.contains("client_credentials") && secret == null) {
            s.error("secret", "is required with grant type client_credentials");
        }
        List<URI> redirects = uris(s, "redirect_uris");
        if (grants.contains("authorization_code") && redirects.isEmpty()) {
            s.error("redirect_uris", "is required with grant type authorization_code (at least one)");
        }
        List<URI> postLogout = uris(s, "post_logout_redirect_uris");
        URI backchannel = s.url("backchannel_logout_uri", false);
        if (backchannel != null && backchannel.getScheme().equalsIgnoreCase("http") && !ConfigLoader.isLoopback(backchannel.getHost())
                && !insecureAllowHttp) {
            s.error("backchannel_logout_uri", "must be https unless on localhost");
        }
        return new Client(id, secret, List.copyOf(redirects), List.copyOf(postLogout), backchannel, Set.copyOf(grants));
    }

    /**
     * Absolute URIs with a host and without a fragment, compared exactly by the provider: {@code https://}, or
     * {@code http://} on a loopback host (development, and native apps per RFC 8252 section 7.3). Private-use
     * schemes ({@code com.example.app:/callback}) are not accepted by the embedded provider.
     */
    private static List<URI> uris(Section s, String key) {
        List<URI> out = new ArrayList<>();
        List<String> given = s.strings(key, List.of());
        for (int i = 0; i < given.size(); i++) {
            String at = key + "[" + i + "]";
            try {
                URI u = new URI(given.get(i).trim());
                if (!u.isAbsolute() || u.getHost() == null || u.getRawFragment() != null) {
                    s.error(at, "must be an absolute URL with a host and without a fragment");
                } else if (!u.getScheme().equalsIgnoreCase("https")
                        && !(u.getScheme().equalsIgnoreCase("http") && ConfigLoader.isLoopback(u.getHost()))) {
                    s.error(at, "must be https (http only on localhost)");
                } else {
                    out.add(u);
                }
            } catch (URISyntaxException e) {
                s.error(at, "not a URI");
            }
        }
        return out;
    }
}
