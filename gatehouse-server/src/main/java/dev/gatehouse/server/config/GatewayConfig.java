package dev.gatehouse.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole gateway configuration, as validated records. See {@code docs/configuration.md} for every key.
 *
 * @param publicUrl the origin browsers use; null means {@code http://<listen address>}, resolved once the
 *                  listener is bound (for local development and tests on port 0)
 */
public record GatewayConfig(
        URI publicUrl,
        HostPort listen,
        HostPort adminListen,
        Session session,
        Identity identity,
        Csrf csrf,
        List<Route> routes) {

    /** The public URL once the listener's real port is known. */
    public URI publicUrl(int boundPort) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String host = listen.host().equals("0.0.0.0") || listen.host().equals("::") ? "localhost" : listen.host();
        return URI.create("http://" + host + ":" + boundPort);
    }

    /** A listen address; {@code adminListen} may be null when the admin listener is off. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public enum SameSite { LAX, STRICT }

    public record Session(String store, Duration idleTimeout, Duration absoluteTimeout, SameSite sameSite) {
    }

    public enum ClientAuth { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT }

    /**
     * The OpenID provider the gateway signs users in with.
     *
     * @param claims where in the ID token (or userinfo) each piece of identity is found: dotted paths keyed by
     *               {@code user_id}, {@code email}, {@code name}, {@code picture}, {@code roles},
     *               {@code organizations}, {@code organization}
     */
    public record Identity(
            URI issuer,
            String clientId,
            String clientSecret,
            ClientAuth clientAuth,
            Path privateKeyFile,
            List<String> scopes,
            Map<String, String> claims,
            Duration refreshBeforeExpiry,
            Duration clockSkew,
            String postLogoutRedirect,
            boolean insecureAllowHttp) {
    }

    public record Csrf(String header, Set<String> allowedOrigins) {
    }

    public enum Access { PUBLIC, OPTIONAL, AUTHENTICATED }

    public enum TokenMode { NONE, RELAY }

    public record Require(List<String> roles, String organization, List<String> organizationRoles, List<String> permissions) {
        public static final Require NONE = new Require(List.of(), null, List.of(), List.of());
    }

    public record Route(
            String match,
            String host,
            Set<String> methods,
            URI upstream,
            String stripPrefix,
            Access access,
            Require require,
            TokenMode token,
            Duration connectTimeout,
            Duration timeout) {
    }
}
